package dev.compactor.support;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;

/**
 * Serialises plain Java values (see {@link Json}) as JSON.
 *
 * <p>Besides compact output it reproduces Python's {@code json.dumps} layouts byte for byte,
 * because Letta stores packed summaries as {@code json.dumps(obj, indent=2, ensure_ascii=False)}
 * and estimates tokens from {@code json.dumps(obj)} (", " and ": " separators, non-ASCII escaped).
 */
public final class JsonWriter {
    /** Python {@code json.dumps(obj)} defaults. */
    public static final JsonWriter PYTHON_DEFAULT = new JsonWriter(-1, ", ", ": ", true);
    /** Python {@code json.dumps(obj, indent=2, ensure_ascii=False)}. */
    public static final JsonWriter PYTHON_INDENT_2 = new JsonWriter(2, ",", ": ", false);

    private final int indent;
    private final String itemSeparator;
    private final String keySeparator;
    private final boolean ensureAscii;

    private JsonWriter(int indent, String itemSeparator, String keySeparator, boolean ensureAscii) {
        this.indent = indent;
        this.itemSeparator = itemSeparator;
        this.keySeparator = keySeparator;
        this.ensureAscii = ensureAscii;
    }

    public String write(Object value) {
        StringBuilder out = new StringBuilder(64);
        write(out, value, 0);
        return out.toString();
    }

    private void write(StringBuilder out, Object value, int depth) {
        switch (value) {
            case null -> out.append("null");
            case String s -> string(out, s);
            case Boolean b -> out.append(b ? "true" : "false");
            case Integer i -> out.append(i.intValue());
            case Long l -> out.append(l.longValue());
            case BigInteger b -> out.append(b);
            case BigDecimal d -> out.append(d.toPlainString());
            case Double d -> out.append(pythonFloat(d));
            case Float f -> out.append(pythonFloat(f.doubleValue()));
            case Map<?, ?> map -> object(out, map, depth);
            case Collection<?> list -> array(out, list, depth);
            case Object[] array -> array(out, java.util.Arrays.asList(array), depth);
            case Enum<?> e -> string(out, e.toString());
            default -> throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
        }
    }

    private void object(StringBuilder out, Map<?, ?> map, int depth) {
        if (map.isEmpty()) {
            out.append("{}");
            return;
        }
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!first) {
                out.append(itemSeparator);
            }
            first = false;
            newline(out, depth + 1);
            string(out, String.valueOf(e.getKey()));
            out.append(keySeparator);
            write(out, e.getValue(), depth + 1);
        }
        newline(out, depth);
        out.append('}');
    }

    private void array(StringBuilder out, Collection<?> list, int depth) {
        if (list.isEmpty()) {
            out.append("[]");
            return;
        }
        out.append('[');
        boolean first = true;
        for (Object item : list) {
            if (!first) {
                out.append(itemSeparator);
            }
            first = false;
            newline(out, depth + 1);
            write(out, item, depth + 1);
        }
        newline(out, depth);
        out.append(']');
    }

    private void newline(StringBuilder out, int depth) {
        if (indent >= 0) {
            out.append('\n');
            out.append(" ".repeat(indent * depth));
        }
    }

    private void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || (ensureAscii && c > 0x7e)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** Python's float repr: shortest round-trip digits, "1.0" for integral values, "1e-05" style exponents. */
    static String pythonFloat(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        String java = Double.toString(d);
        int e = java.indexOf('E');
        if (e < 0) {
            return java;
        }
        String mantissa = java.substring(0, e);
        int exponent = Integer.parseInt(java.substring(e + 1));
        if (exponent >= -4 && exponent < 16) {
            String plain = new BigDecimal(java).stripTrailingZeros().toPlainString();
            return plain.indexOf('.') >= 0 ? plain : plain + ".0";
        }
        if (mantissa.endsWith(".0")) {
            mantissa = mantissa.substring(0, mantissa.length() - 2);
        }
        return mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
    }
}
