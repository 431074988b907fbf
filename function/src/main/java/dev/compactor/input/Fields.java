package dev.compactor.input;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads typed fields out of Jackson's tree, collecting every failure (not just the first) the way
 * pydantic does, with pydantic's lax coercions: integral floats and digit strings are integers,
 * numeric strings are numbers, and {@code 0/1/"true"/"no"/…} are booleans. A value that is absent
 * ({@code null} or a missing node) or JSON {@code null} reads as not sent; an error quotes the node
 * it refused as its {@code input}.
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

    /** A member of an object; null when the object lacks it or holds JSON null (an optional field not sent). */
    public static JsonNode get(JsonNode object, String name) {
        return given(object.get(name));
    }

    /** The node, or null when it stands for no value. */
    public static JsonNode given(JsonNode value) {
        return value == null || value.isNull() || value.isMissingNode() ? null : value;
    }

    /** A nested object, or null when absent/null; a non-object records an error and yields null. */
    public ObjectNode object(JsonNode value, List<Object> loc, String typeName) {
        if (given(value) == null) {
            return null;
        }
        if (value instanceof ObjectNode object) {
            return object;
        }
        errors.add(FieldError.of("model_attributes_type", loc,
                "Input should be a valid dictionary or object to extract fields from", value));
        return null;
    }

    public String string(JsonNode value, List<Object> loc) {
        if (given(value) == null) {
            return null;
        }
        if (value.isTextual()) {
            return value.textValue();
        }
        errors.add(FieldError.of("string_type", loc, "Input should be a valid string", value));
        return null;
    }

    public Boolean bool(JsonNode value, List<Object> loc) {
        if (given(value) == null) {
            return null;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isIntegralNumber() && value.canConvertToLong() && (value.longValue() == 0 || value.longValue() == 1)) {
            return value.longValue() == 1;
        }
        if (value.isTextual()) {
            String word = value.textValue().toLowerCase(Locale.ROOT);
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

    public Long integer(JsonNode value, List<Object> loc) {
        if (given(value) == null) {
            return null;
        }
        if (value.isBoolean()) {
            // pydantic's lax mode reads a bool as 0 or 1.
            return value.booleanValue() ? 1L : 0L;
        }
        if (value.isIntegralNumber()) {
            if (value.canConvertToLong()) {
                return value.longValue();
            }
            errors.add(FieldError.of("int_parsing_size", loc,
                    "Unable to parse input string as an integer, exceeded maximum size", value));
            return null;
        }
        if (value.isNumber()) {
            double d = value.doubleValue();
            if (Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) < 9.2e18) {
                return (long) d;
            }
            if (!Double.isFinite(d)) {
                errors.add(FieldError.of("finite_number", loc, "Input should be a finite number", value));
            } else {
                errors.add(FieldError.of("int_from_float", loc,
                        "Input should be a valid integer, got a number with a fractional part", value));
            }
            return null;
        }
        if (value.isTextual()) {
            try {
                return Long.parseLong(value.textValue().strip().replace("_", ""));
            } catch (NumberFormatException e) {
                errors.add(FieldError.of("int_parsing", loc,
                        "Input should be a valid integer, unable to parse string as an integer", value));
                return null;
            }
        }
        errors.add(FieldError.of("int_type", loc, "Input should be a valid integer", value));
        return null;
    }

    public Double number(JsonNode value, List<Object> loc) {
        if (given(value) == null) {
            return null;
        }
        if (value.isNumber()) {
            return value.doubleValue();
        }
        if (value.isTextual()) {
            try {
                return Double.parseDouble(value.textValue().strip());
            } catch (NumberFormatException e) {
                errors.add(FieldError.of("float_parsing", loc,
                        "Input should be a valid number, unable to parse string as a number", value));
                return null;
            }
        }
        errors.add(FieldError.of("float_type", loc, "Input should be a valid number", value));
        return null;
    }

    /** One of a fixed set of string literals (pydantic {@code Literal[...]}). */
    public String literal(JsonNode value, List<Object> loc, List<String> allowed) {
        if (given(value) == null) {
            return null;
        }
        if (value.isTextual() && allowed.contains(value.textValue())) {
            return value.textValue();
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
