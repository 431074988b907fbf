package dev.compactor.support;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;

/**
 * Structured JSON log lines on stderr (Lambda ships both streams to CloudWatch; stderr keeps
 * stdout free for {@code invoke}'s response and for metrics). Callers pass identifiers and
 * measurements only — never message text, summaries, prompts, keys or secrets.
 */
public final class Log {

    private Log() {}

    public static void info(String event, Object... keyValues) {
        write("INFO", event, keyValues);
    }

    /** One line with every field of {@code fields}, in order. */
    public static void info(String event, Map<String, ?> fields) {
        Object[] keyValues = new Object[fields.size() * 2];
        int i = 0;
        for (Map.Entry<String, ?> field : fields.entrySet()) {
            keyValues[i++] = field.getKey();
            keyValues[i++] = field.getValue();
        }
        write("INFO", event, keyValues);
    }

    public static void warn(String event, Object... keyValues) {
        write("WARN", event, keyValues);
    }

    public static void error(String event, Object... keyValues) {
        write("ERROR", event, keyValues);
    }

    /** One JSON object: time, level, event, then the pairs in their order. */
    private static void write(String level, String event, Object[] keyValues) {
        StringWriter line = new StringWriter();
        try (JsonGenerator json = JsonMapper.MAPPER.createGenerator(line)) {
            json.writeStartObject();
            json.writeStringField("time", Instant.now().toString());
            json.writeStringField("level", level);
            json.writeStringField("event", event);
            for (int i = 0; i + 1 < keyValues.length; i += 2) {
                json.writeObjectField(String.valueOf(keyValues[i]), loggable(keyValues[i + 1]));
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.err.println(line);
    }

    private static Object loggable(Object value) {
        if (value == null || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        // Error texts can quote a provider's or AWS's answer; a credential in one never reaches a log.
        return Credentials.scrub(value.toString());
    }
}
