package dev.compactor.support;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON documents through the container's {@link JsonMapper}: as Jackson's tree ({@link #tree}, what
 * input is validated on) or as plain Java values for JSON that is free-form: {@code Map<String,Object>}
 * (insertion ordered), {@code List<Object>}, {@code String}, {@code Long}/{@code BigInteger},
 * {@code Double}, {@code Boolean} and {@code null}. Writing keeps Python's float notation, which
 * the Letta-exact responses pin byte for byte.
 */
public final class Json {
    private Json() {}

    /** Parses a complete JSON document into plain values (see {@link #toJava}). */
    public static Object parse(String text) {
        return toJava(tree(text));
    }

    /** Parses a complete JSON document into Jackson's tree, as the field validators read it. */
    public static JsonNode tree(String text) {
        if (text == null || text.isBlank()) {
            throw new JsonSyntaxException("empty document");
        }
        try {
            return JsonMapper.MAPPER.readTree(text);
        } catch (JacksonException e) {
            throw new JsonSyntaxException(firstLine(e.getOriginalMessage()));
        }
    }

    /** Parses a document that must be a JSON object. */
    public static Map<String, Object> parseObject(String text) {
        if (tree(text) instanceof ObjectNode object) {
            return toMap(object);
        }
        throw new JsonSyntaxException("expected a JSON object");
    }

    /** Compact JSON with UTF-8 characters kept as they are, written by the one mapper. */
    public static String write(Object value) {
        try {
            return JsonMapper.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not writable as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * A tree as plain values: integers as {@code Long} (or {@code BigInteger} past 64 bits),
     * decimals as {@code Double}, objects in their fields' order. Null (absent) and JSON null are
     * both {@code null}.
     */
    public static Object toJava(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            for (JsonNode item : node) {
                list.add(toJava(item));
            }
            return list;
        }
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                map.put(e.getKey(), toJava(e.getValue()));
            }
            return map;
        }
        throw new JsonSyntaxException("unsupported JSON value");
    }

    /** An object as a plain map, in its fields' order. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> toMap(ObjectNode node) {
        return (Map<String, Object>) toJava(node);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "malformed JSON";
        }
        int newline = message.indexOf('\n');
        return newline > 0 ? message.substring(0, newline) : message;
    }
}
