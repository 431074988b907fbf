package dev.compactor.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request body's tree as the plain values the field validators read and quote in their errors:
 * integers as {@code Long} (or {@code BigInteger} past 64 bits, which a validator then refuses by
 * name), decimals as {@code Double}, objects in their fields' order.
 */
final class FieldValues {
    private FieldValues() {}

    /** @param node an object node */
    static Map<String, Object> object(JsonNode node) {
        Map<String, Object> map = new LinkedHashMap<>(); // a body's fields before validation: any names, any values
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            map.put(e.getKey(), of(e.getValue()));
        }
        return map;
    }

    static Object of(JsonNode node) {
        if (node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            BigInteger big = node.bigIntegerValue();
            return big.bitLength() < 64 ? (Object) big.longValue() : big;
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            for (JsonNode item : node) {
                list.add(of(item));
            }
            return list;
        }
        return object(node);
    }
}
