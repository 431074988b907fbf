package dev.compactor.support;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;

/**
 * The container's one Jackson {@link ObjectMapper}, configured once: a document is one JSON value
 * (trailing content is an error, as FastAPI answers it) and objects keep their fields' order.
 *
 * <p>It writes what Letta (Python's {@code json.dumps}) writes, so the Letta-exact bodies stay
 * byte for byte what {@link JsonWriter} wrote: floats in Python's repr, lower-case {@code \\u}
 * escapes, decimals in plain notation, enums by {@code toString()}.
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
        JsonSerializer<Double> pythonFloat = new JsonSerializer<>() {
            @Override
            public void serialize(Double value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                gen.writeNumber(JsonWriter.pythonFloat(value));
            }
        };
        SimpleModule python = new SimpleModule("python-floats")
                .addSerializer(Double.class, pythonFloat)
                .addSerializer(double.class, pythonFloat);
        return com.fasterxml.jackson.databind.json.JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
                .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
                .enable(SerializationFeature.WRITE_ENUMS_USING_TO_STRING)
                .addModule(python)
                .build();
    }
}
