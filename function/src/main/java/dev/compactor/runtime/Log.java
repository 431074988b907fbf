package dev.compactor.runtime;

import dev.compactor.json.Json;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Structured JSON log lines on stderr (Lambda ships both streams to CloudWatch; stderr keeps
 * stdout free for {@code invoke}'s response). Callers pass identifiers and measurements only —
 * never message text, summaries or secrets.
 */
public final class Log {

    private Log() {}

    public static void info(String event, Object... keyValues) {
        write("INFO", event, keyValues);
    }

    public static void warn(String event, Object... keyValues) {
        write("WARN", event, keyValues);
    }

    public static void error(String event, Object... keyValues) {
        write("ERROR", event, keyValues);
    }

    private static void write(String level, String event, Object... keyValues) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", Instant.now().toString());
        line.put("level", level);
        line.put("event", event);
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            line.put(String.valueOf(keyValues[i]), loggable(keyValues[i + 1]));
        }
        System.err.println(Json.write(line));
    }

    private static Object loggable(Object value) {
        if (value == null || value instanceof Number || value instanceof Boolean || value instanceof String) {
            return value;
        }
        return value.toString();
    }
}
