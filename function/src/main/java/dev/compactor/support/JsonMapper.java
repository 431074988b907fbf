package dev.compactor.support;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The container's one Jackson {@link ObjectMapper}, configured once: a document is one JSON value
 * (trailing content is an error, as FastAPI answers it) and objects keep their fields' order.
 *
 * <p>Untyped values go through {@link Json#parse}, which reads integers as {@code Long} (or
 * {@code BigInteger} past 64 bits) and decimals as {@code Double}. Jackson's own untyped binding
 * would give {@code Integer} for small ones, and its {@code USE_LONG_FOR_INTS} refuses integers
 * past 64 bits.
 */
public final class JsonMapper {
    public static final ObjectMapper MAPPER = build();

    private JsonMapper() {}

    private static ObjectMapper build() {
        return com.fasterxml.jackson.databind.json.JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }
}
