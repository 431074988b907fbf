package dev.compactor.support;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.protocols.jsoncore.JsonNodeParser;

/**
 * JSON to and from plain Java values: {@code Map<String,Object>} (insertion ordered),
 * {@code List<Object>}, {@code String}, {@code Long}/{@code BigInteger}, {@code Double},
 * {@code Boolean} and {@code null}.
 *
 * <p>Parsing reuses the parser the AWS SDK already ships, so the Lambda artifact carries no JSON
 * library of its own.
 */
public final class Json {
    private static final JsonNodeParser PARSER = JsonNodeParser.create();

    private Json() {}

    /** Parses a complete JSON document. */
    public static Object parse(String text) {
        if (text == null || text.isBlank()) {
            throw new JsonSyntaxException("empty document");
        }
        JsonNode node;
        try {
            node = PARSER.parse(text);
        } catch (RuntimeException e) {
            throw new JsonSyntaxException(rootCauseMessage(e));
        }
        return toJava(node);
    }

    /** Parses a document that must be a JSON object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        Object value = parse(text);
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new JsonSyntaxException("expected a JSON object");
    }

    /** Compact JSON with UTF-8 characters kept as they are. */
    public static String write(Object value) {
        return JsonWriter.COMPACT.write(value);
    }

    private static Object toJava(JsonNode node) {
        if (node.isNull()) {
            return null;
        }
        if (node.isString()) {
            return node.asString();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        if (node.isNumber()) {
            return number(node.asNumber());
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.asArray().size());
            for (JsonNode item : node.asArray()) {
                list.add(toJava(item));
            }
            return list;
        }
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : node.asObject().entrySet()) {
                map.put(e.getKey(), toJava(e.getValue()));
            }
            return map;
        }
        throw new JsonSyntaxException("unsupported JSON value");
    }

    static Object number(String text) {
        boolean integral = text.indexOf('.') < 0 && text.indexOf('e') < 0 && text.indexOf('E') < 0;
        if (integral) {
            BigInteger big = new BigInteger(text);
            return big.bitLength() < 64 ? (Object) big.longValue() : big;
        }
        return Double.parseDouble(text);
    }

    private static String rootCauseMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int newline = message.indexOf('\n');
        return newline > 0 ? message.substring(0, newline) : message;
    }
}
