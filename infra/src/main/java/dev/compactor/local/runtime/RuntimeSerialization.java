package dev.compactor.local.runtime;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Lambda event types to and from JSON exactly as the Lambda Java runtime converts them (its
 * {@code aws-lambda-java-serialization}, with the event types' own field names), so the events the
 * local API Gateway hands a function are the bytes the cloud's would be.
 */
public final class RuntimeSerialization {
    private RuntimeSerialization() {}

    public static <T> String write(T event, Class<T> type) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        serializer(type).toJson(event, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    public static <T> T read(String json, Class<T> type) {
        return serializer(type).fromJson(json);
    }

    private static <T> PojoSerializer<T> serializer(Class<T> type) {
        return LambdaEventSerializers.serializerFor(type, RuntimeSerialization.class.getClassLoader());
    }
}
