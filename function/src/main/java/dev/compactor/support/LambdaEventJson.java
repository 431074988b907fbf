package dev.compactor.support;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Lambda event types ({@code aws-lambda-java-events}) read and written with the one mapper, as
 * the Lambda Java runtime's serializer treats them: fields a type does not model are ignored (AWS
 * adds event fields over time).
 */
public final class LambdaEventJson {
    private LambdaEventJson() {}

    /** @throws JsonSyntaxException when the text is not JSON or does not fit {@code type} */
    public static <T> T read(String json, Class<T> type) {
        try {
            return reader(type).readValue(json);
        } catch (JacksonException e) {
            throw new JsonSyntaxException(e.getOriginalMessage());
        }
    }

    /** @throws JsonSyntaxException when the bytes are not JSON or do not fit {@code type} */
    public static <T> T read(byte[] json, Class<T> type) {
        try {
            return reader(type).readValue(json);
        } catch (JacksonException e) {
            throw new JsonSyntaxException(e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The event's JSON; null entries of the maps some types build for their output (an IAM
     * statement's {@code Condition}) are left out, as AWS's examples of those documents show.
     */
    @SuppressWarnings("deprecation")
    public static byte[] write(Object event) {
        try {
            return JsonMapper.MAPPER.writer().without(SerializationFeature.WRITE_NULL_MAP_VALUES).writeValueAsBytes(event);
        } catch (JacksonException e) {
            throw new IllegalStateException("event type not writable: " + event.getClass().getName(), e);
        }
    }

    private static ObjectReader reader(Class<?> type) {
        return JsonMapper.MAPPER.readerFor(type).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }
}
