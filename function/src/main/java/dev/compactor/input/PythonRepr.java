package dev.compactor.input;

import com.fasterxml.jackson.databind.JsonNode;
import dev.compactor.support.JsonWriter;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Renders values the way Python's {@code repr()} does. Letta's validation errors put
 * {@code repr(exc.errors())} into the {@code detail} string, and clients match on that text.
 */
public final class PythonRepr {
    private PythonRepr() {}

    /** The errors as pydantic's {@code repr(exc.errors())}: a list of dicts, {@code ctx} only when there is one. */
    public static String errors(List<FieldError> errors) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < errors.size(); i++) {
            FieldError e = errors.get(i);
            out.append(i > 0 ? ", " : "").append("{'type': ");
            append(out, e.type());
            out.append(", 'loc': ");
            append(out, new Tuple(e.loc()));
            out.append(", 'msg': ");
            append(out, e.msg());
            out.append(", 'input': ");
            append(out, e.input());
            if (e.ctx() != null && !e.ctx().isEmpty()) {
                out.append(", 'ctx': ");
                append(out, e.ctx());
            }
            out.append('}');
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
            case JsonNode node -> node(out, node);
            case String s -> string(out, s);
            case Boolean b -> out.append(b ? "True" : "False");
            case Double d -> pythonFloat(out, d);
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

    /** A JSON value as Python's {@code json} module would have decoded it: ints, floats, str, bool, None, dict, list. */
    private static void node(StringBuilder out, JsonNode node) {
        if (node.isNull() || node.isMissingNode()) {
            out.append("None");
        } else if (node.isTextual()) {
            string(out, node.textValue());
        } else if (node.isBoolean()) {
            out.append(node.booleanValue() ? "True" : "False");
        } else if (node.isIntegralNumber()) {
            out.append(node.bigIntegerValue());
        } else if (node.isNumber()) {
            pythonFloat(out, node.doubleValue());
        } else if (node.isObject()) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (!first) {
                    out.append(", ");
                }
                first = false;
                string(out, e.getKey());
                out.append(": ");
                node(out, e.getValue());
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            boolean first = true;
            for (JsonNode item : node) {
                if (!first) {
                    out.append(", ");
                }
                first = false;
                node(out, item);
            }
            out.append(']');
        } else {
            string(out, node.toString());
        }
    }

    private static void pythonFloat(StringBuilder out, double d) {
        out.append(JsonWriter.PYTHON_DEFAULT.write(d).replace("Infinity", "inf").replace("NaN", "nan"));
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
