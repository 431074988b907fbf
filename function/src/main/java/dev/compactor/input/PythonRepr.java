package dev.compactor.input;

import dev.compactor.support.JsonWriter;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders values the way Python's {@code repr()} does. Letta's validation errors put
 * {@code repr(exc.errors())} into the {@code detail} string, and clients match on that text.
 */
public final class PythonRepr {
    private PythonRepr() {}

    public static String errors(List<FieldError> errors) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < errors.size(); i++) {
            if (i > 0) {
                out.append(", ");
            }
            FieldError e = errors.get(i);
            Map<String, Object> dict = new LinkedHashMap<>();
            dict.put("type", e.type());
            dict.put("loc", new Tuple(e.loc()));
            dict.put("msg", e.msg());
            dict.put("input", e.input());
            if (e.ctx() != null && !e.ctx().isEmpty()) {
                dict.put("ctx", e.ctx());
            }
            append(out, dict);
        }
        return out.append(']').toString();
    }

    public static String of(Object value) {
        StringBuilder out = new StringBuilder();
        append(out, value);
        return out.toString();
    }

    /** A Python tuple (pydantic error locations are tuples). */
    public record Tuple(List<Object> items) {}

    private static void append(StringBuilder out, Object value) {
        switch (value) {
            case null -> out.append("None");
            case String s -> string(out, s);
            case Boolean b -> out.append(b ? "True" : "False");
            case Double d -> out.append(JsonWriter.PYTHON_DEFAULT.write(d).replace("Infinity", "inf").replace("NaN", "nan"));
            case Number n -> out.append(n);
            case Tuple t -> {
                out.append('(');
                sequence(out, t.items());
                if (t.items().size() == 1) {
                    out.append(',');
                }
                out.append(')');
            }
            case Map<?, ?> map -> {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (!first) {
                        out.append(", ");
                    }
                    first = false;
                    append(out, e.getKey());
                    out.append(": ");
                    append(out, e.getValue());
                }
                out.append('}');
            }
            case Collection<?> list -> {
                out.append('[');
                sequence(out, list);
                out.append(']');
            }
            default -> string(out, value.toString());
        }
    }

    private static void sequence(StringBuilder out, Collection<?> items) {
        boolean first = true;
        for (Object item : items) {
            if (!first) {
                out.append(", ");
            }
            first = false;
            append(out, item);
        }
    }

    private static void string(StringBuilder out, String s) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        out.append(quote);
        // By code point, as Python sees the string: a lone surrogate is one (escaped) character.
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            if (c == quote) {
                out.append('\\').append(quote);
            } else if (PythonEscapes.escaped(c)) {
                PythonEscapes.appendEscape(out, c);
            } else {
                out.appendCodePoint(c);
            }
        }
        out.append(quote);
    }
}
