package dev.compactor.local.runtime;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Events and answers read and written as the Lambda Java runtime does for a {@code RequestHandler}:
 * the event types of {@code aws-lambda-java-events} through the runtime's own serializers (which
 * know, for example, that a scheduled event's {@code detail-type} is {@code detailType}), any
 * other type through its Jackson mapper.
 */
final class RuntimeSerialization {
    private RuntimeSerialization() {}

    static <T> PojoSerializer<T> serializer(Class<T> type) {
        if (LambdaEventSerializers.isLambdaSupportedEvent(type.getName())) {
            return LambdaEventSerializers.serializerFor(type, type.getClassLoader());
        }
        return JacksonFactory.getInstance().getSerializer(type);
    }

    static <T> T read(String json, Class<T> type) {
        return serializer(type).fromJson(json);
    }

    @SuppressWarnings("unchecked")
    static String write(Object value) {
        if (value == null) {
            return "null";
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ((PojoSerializer<Object>) serializer(value.getClass())).toJson(value, out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
