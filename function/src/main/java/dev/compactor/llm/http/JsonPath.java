package dev.compactor.llm.http;

import java.util.List;
import java.util.Map;

/** Reads a value out of parsed JSON by object keys and array indexes, null when any step is missing. */
final class JsonPath {
    private JsonPath() {}

    static Object at(Object json, Object... path) {
        Object current = json;
        for (Object step : path) {
            if (step instanceof String key && current instanceof Map<?, ?> map) {
                current = map.get(key);
            } else if (step instanceof Integer index && current instanceof List<?> list && index < list.size()) {
                current = list.get(index);
            } else {
                return null;
            }
        }
        return current;
    }

    static String string(Object json, Object... path) {
        return at(json, path) instanceof String s ? s : null;
    }

    static long number(Object json, Object... path) {
        return at(json, path) instanceof Number n ? n.longValue() : 0;
    }

    static List<?> list(Object json, Object... path) {
        return at(json, path) instanceof List<?> l ? l : List.of();
    }
}
