package dev.compactor.input;

import java.util.List;
import java.util.Map;

/**
 * One validation failure, in the shape pydantic reports it (Letta's 422 bodies are the Python
 * repr of a list of these): {@code type}, {@code loc} (rendered as a tuple), {@code msg},
 * {@code input} and an optional {@code ctx}.
 */
public record FieldError(String type, List<Object> loc, String msg, Object input, Map<String, Object> ctx) {
    public FieldError {
        loc = List.copyOf(loc);
        ctx = ctx == null ? null : Map.copyOf(ctx);
    }

    public static FieldError of(String type, List<Object> loc, String msg, Object input) {
        return new FieldError(type, loc, msg, input, null);
    }
}
