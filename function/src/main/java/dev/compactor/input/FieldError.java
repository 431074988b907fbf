package dev.compactor.input;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One validation failure, in the shape pydantic reports it (Letta's 422 bodies are the Python
 * repr of a list of these): {@code type}, {@code loc} (rendered as a tuple), {@code msg},
 * {@code input} and an optional {@code ctx}, pydantic's free-form context, kept in the order given
 * because the repr lists it in that order.
 */
public record FieldError(String type, List<Object> loc, String msg, Object input, Map<String, Object> ctx) {
    public FieldError {
        loc = List.copyOf(loc);
        ctx = ctx == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(ctx));
    }

    public static FieldError of(String type, List<Object> loc, String msg, Object input) {
        return new FieldError(type, loc, msg, input, null);
    }

    /**
     * A context of several entries in pydantic's order ({@code Map.of} has none: its iteration order
     * changes from one JVM to the next).
     *
     * @param namesAndValues name, value, name, value, …
     */
    public static Map<String, Object> ctx(Object... namesAndValues) {
        Map<String, Object> ctx = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            ctx.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return ctx;
    }
}
