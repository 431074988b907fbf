package dev.compactor.local.runtime;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Events and answers read and written as the Lambda Java runtime does (its
 * {@code aws-lambda-java-serialization}): the event types of {@code aws-lambda-java-events}
 * through the runtime's own serializers, with the event types' own field names (a scheduled
 * event's {@code detail-type} is {@code detailType}), any other type through the runtime's Jackson
 * mapper. So the events the local runtime hands a function are the bytes the cloud's would be.
 */
public final class RuntimeSerialization {
    private RuntimeSerialization() {}

    public static <T> T read(String json, Class<T> type) {
        return serializer(type).fromJson(json);
    }

    public static <T> String write(T event, Class<T> type) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        serializer(type).toJson(event, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    static String write(Object value) {
        if (value == null) {
            return "null";
        }
        return write(value, (Class<Object>) value.getClass());
    }

    private static <T> PojoSerializer<T> serializer(Class<T> type) {
        if (LambdaEventSerializers.isLambdaSupportedEvent(type.getName())) {
            return LambdaEventSerializers.serializerFor(type, RuntimeSerialization.class.getClassLoader());
        }
        return JacksonFactory.getInstance().getSerializer(type);
    }
}
