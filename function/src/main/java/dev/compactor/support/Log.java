package dev.compactor.support;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Structured JSON log lines on stderr (Lambda ships both streams to CloudWatch; stderr keeps
 * stdout free for {@code invoke}'s response and for metrics). Callers pass identifiers and
 * measurements only — never message text, summaries, prompts, keys or secrets.
 */
public final class Log {

    private Log() {}

    public static void info(String event, Object... keyValues) {
        write("INFO", event, pairs(keyValues));
    }

    /** One line with every field of {@code fields}, in order. */
    public static void info(String event, Map<String, ?> fields) {
        write("INFO", event, fields);
    }

    public static void warn(String event, Object... keyValues) {
        write("WARN", event, pairs(keyValues));
    }

    public static void error(String event, Object... keyValues) {
        write("ERROR", event, pairs(keyValues));
    }

    private static Map<String, Object> pairs(Object... keyValues) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            fields.put(String.valueOf(keyValues[i]), keyValues[i + 1]);
        }
        return fields;
    }

    private static void write(String level, String event, Map<String, ?> fields) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", Instant.now().toString());
        line.put("level", level);
        line.put("event", event);
        fields.forEach((k, v) -> line.put(k, loggable(v)));
        System.err.println(Json.write(line));
    }

    private static Object loggable(Object value) {
        if (value == null || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        // Error texts can quote a provider's or AWS's answer; a credential in one never reaches a log.
        return Credentials.scrub(value.toString());
    }
}
