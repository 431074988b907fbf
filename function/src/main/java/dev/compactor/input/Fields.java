package dev.compactor.input;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads typed fields out of parsed JSON, collecting every failure (not just the first) the way
 * pydantic does, with pydantic's lax coercions: integral floats and digit strings are integers,
 * numeric strings are numbers, and {@code 0/1/"true"/"no"/…} are booleans.
 */
public final class Fields {
    private static final Set<String> TRUE_WORDS = Set.of("1", "on", "t", "true", "y", "yes");
    private static final Set<String> FALSE_WORDS = Set.of("0", "off", "f", "false", "n", "no");

    private final List<FieldError> errors = new ArrayList<>();

    public List<FieldError> errors() {
        return errors;
    }

    public void fail(FieldError error) {
        errors.add(error);
    }

    public void throwIfInvalid() {
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
    }

    public static List<Object> loc(List<Object> parent, Object child) {
        List<Object> loc = new ArrayList<>(parent);
        loc.add(child);
        return loc;
    }

    /** A nested object, or null when absent/null; a non-object records an error and yields null. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> object(Object value, List<Object> loc, String typeName) {
        if (value == null) {
            return null;
        }
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        errors.add(FieldError.of("model_attributes_type", loc,
                "Input should be a valid dictionary or object to extract fields from", value));
        return null;
    }

    public String string(Object value, List<Object> loc) {
        if (value == null || value instanceof String) {
            return (String) value;
        }
        errors.add(FieldError.of("string_type", loc, "Input should be a valid string", value));
        return null;
    }

    public Boolean bool(Object value, List<Object> loc) {
        if (value == null || value instanceof Boolean) {
            return (Boolean) value;
        }
        if (value instanceof Long l && (l == 0 || l == 1)) {
            return l == 1;
        }
        if (value instanceof String s) {
            String word = s.toLowerCase(Locale.ROOT);
            if (TRUE_WORDS.contains(word)) {
                return true;
            }
            if (FALSE_WORDS.contains(word)) {
                return false;
            }
            errors.add(FieldError.of("bool_parsing", loc, "Input should be a valid boolean, unable to interpret input", value));
            return null;
        }
        errors.add(FieldError.of("bool_type", loc, "Input should be a valid boolean", value));
        return null;
    }

    public Long integer(Object value, List<Object> loc) {
        switch (value) {
            case null -> {
                return null;
            }
            case Long l -> {
                return l;
            }
            case Boolean b -> {
                // pydantic's lax mode reads a bool as 0 or 1.
                return b ? 1L : 0L;
            }
            case BigInteger big -> {
                errors.add(FieldError.of("int_parsing_size", loc,
                        "Unable to parse input string as an integer, exceeded maximum size", value));
                return null;
            }
            case Double d -> {
                if (Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) < 9.2e18) {
                    return (long) d.doubleValue();
                }
                if (!Double.isFinite(d)) {
                    errors.add(FieldError.of("finite_number", loc, "Input should be a finite number", value));
                } else {
                    errors.add(FieldError.of("int_from_float", loc,
                            "Input should be a valid integer, got a number with a fractional part", value));
                }
                return null;
            }
            case String s -> {
                try {
                    return Long.parseLong(s.strip().replace("_", ""));
                } catch (NumberFormatException e) {
                    errors.add(FieldError.of("int_parsing", loc,
                            "Input should be a valid integer, unable to parse string as an integer", value));
                    return null;
                }
            }
            default -> {
                errors.add(FieldError.of("int_type", loc, "Input should be a valid integer", value));
                return null;
            }
        }
    }

    public Double number(Object value, List<Object> loc) {
        switch (value) {
            case null -> {
                return null;
            }
            case Double d -> {
                return d;
            }
            case Long l -> {
                return l.doubleValue();
            }
            case BigInteger big -> {
                return big.doubleValue();
            }
            case String s -> {
                try {
                    return Double.parseDouble(s.strip());
                } catch (NumberFormatException e) {
                    errors.add(FieldError.of("float_parsing", loc,
                            "Input should be a valid number, unable to parse string as a number", value));
                    return null;
                }
            }
            default -> {
                errors.add(FieldError.of("float_type", loc, "Input should be a valid number", value));
                return null;
            }
        }
    }

    /** One of a fixed set of string literals (pydantic {@code Literal[...]}). */
    public String literal(Object value, List<Object> loc, List<String> allowed) {
        if (value == null) {
            return null;
        }
        if (value instanceof String s && allowed.contains(s)) {
            return s;
        }
        String expected = expected(allowed);
        errors.add(new FieldError("literal_error", loc, "Input should be " + expected, value,
                Map.of("expected", expected)));
        return null;
    }

    /** {@code 'a', 'b' or 'c'} as pydantic words it. */
    public static String expected(List<String> allowed) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < allowed.size(); i++) {
            if (i > 0) {
                out.append(i == allowed.size() - 1 ? " or " : ", ");
            }
            out.append('\'').append(allowed.get(i)).append('\'');
        }
        return out.toString();
    }
}
