package dev.compactor.conversation.dynamo;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.compactor.support.JsonMapper;
import java.io.UncheckedIOException;

/** JSON documents kept in string attributes, through the container's one mapper. */
final class StoredJson {
    private StoredJson() {}

    static String write(Object document) {
        try {
            return JsonMapper.MAPPER.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @throws IllegalStateException when a stored document does not read as {@code type}: the item is corrupt */
    static <T> T read(String json, Class<T> type) {
        try {
            return JsonMapper.MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored " + type.getSimpleName() + " does not read: " + e.getOriginalMessage(), e);
        }
    }
}
