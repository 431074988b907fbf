package dev.compactor.local.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.compactor.support.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Lambda's event filtering on this machine: a record is delivered when it matches one of the
 * event source's filter patterns. A pattern's object keys descend into the record; an array lists
 * the values a field may have, each a plain value or one of the comparisons Lambda supports for
 * strings ({@code prefix}, {@code suffix}, {@code equals-ignore-case}, {@code exists},
 * {@code anything-but} with a value or a list of values). Any other comparison is refused, so the
 * template cannot use a filter the local runtime would play differently.
 */
public final class StreamFilter {
    private final List<JsonNode> patterns;

    private StreamFilter(List<JsonNode> patterns) {
        this.patterns = patterns;
    }

    /** @param patterns the template's {@code FilterCriteria.Filters[].Pattern} strings; none delivers every record */
    public static StreamFilter of(List<String> patterns) {
        return new StreamFilter(patterns.stream().map(StreamFilter::parse).toList());
    }

    private static JsonNode parse(String pattern) {
        try {
            JsonNode node = JsonMapper.MAPPER.readTree(pattern);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("a filter pattern must be a JSON object: " + pattern);
            }
            check(node);
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException("a filter pattern that is not JSON: " + pattern, e);
        }
    }

    /** Whether Lambda would deliver {@code record} (the record as the function's event carries it). */
    public boolean matches(JsonNode record) {
        return patterns.isEmpty() || patterns.stream().anyMatch(p -> matchesObject(p, record));
    }

    private static boolean matchesObject(JsonNode pattern, JsonNode value) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = pattern.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode child = value.isObject() && value.has(field.getKey()) ? value.get(field.getKey()) : MissingNode.getInstance();
            boolean ok = field.getValue().isObject() ? matchesObject(field.getValue(), child) : matchesAny(field.getValue(), child);
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean matchesAny(JsonNode rules, JsonNode value) {
        for (JsonNode rule : rules) {
            if (matchesRule(rule, value)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesRule(JsonNode rule, JsonNode value) {
        if (!rule.isObject()) {
            return !value.isMissingNode() && rule.equals(value);
        }
        Map.Entry<String, JsonNode> comparison = rule.fields().next();
        JsonNode operand = comparison.getValue();
        if (comparison.getKey().equals("exists")) {
            return operand.booleanValue() != value.isMissingNode();
        }
        if (!value.isTextual()) {
            return false;
        }
        String text = value.textValue();
        return switch (comparison.getKey()) {
            case "prefix" -> text.startsWith(operand.textValue());
            case "suffix" -> text.endsWith(operand.textValue());
            case "equals-ignore-case" -> text.toLowerCase(Locale.ROOT).equals(operand.textValue().toLowerCase(Locale.ROOT));
            case "anything-but" -> operand.isArray() ? !contains(operand, value) : !operand.equals(value);
            default -> throw new IllegalStateException("unreachable: checked when parsed");
        };
    }

    private static boolean contains(JsonNode list, JsonNode value) {
        for (JsonNode item : list) {
            if (item.equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static void check(JsonNode pattern) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = pattern.fields(); fields.hasNext(); ) {
            JsonNode value = fields.next().getValue();
            if (value.isObject()) {
                check(value);
                continue;
            }
            if (!value.isArray()) {
                throw new IllegalArgumentException("a filter pattern's leaves are arrays of values or comparisons, got " + value);
            }
            for (JsonNode rule : value) {
                if (!rule.isObject()) {
                    continue;
                }
                String name = rule.fieldNames().next();
                JsonNode operand = rule.get(name);
                boolean supported = rule.size() == 1 && switch (name) {
                    case "prefix", "suffix", "equals-ignore-case" -> operand.isTextual();
                    case "exists" -> operand.isBoolean();
                    case "anything-but" -> operand.isValueNode() || operand.isArray() && allValues(operand);
                    default -> false;
                };
                if (!supported) {
                    throw new IllegalArgumentException("a filter comparison the local runtime does not play: " + rule);
                }
            }
        }
    }

    private static boolean allValues(JsonNode list) {
        for (JsonNode item : list) {
            if (!item.isValueNode()) {
                return false;
            }
        }
        return true;
    }
}
