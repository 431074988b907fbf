package dev.compactor.api;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.compactor.input.FieldError;
import dev.compactor.input.Fields;
import java.util.List;
import java.util.Map;

/** Query string parameters read the way FastAPI reads them (the last value wins), with pydantic's errors. */
final class QueryParams {
    private final ApiRequest request;
    private final Fields fields;

    QueryParams(ApiRequest request, Fields fields) {
        this.request = request;
        this.fields = fields;
    }

    String string(String name) {
        List<String> values = request.query().get(name);
        return values == null || values.isEmpty() ? null : values.get(values.size() - 1);
    }

    String required(String name) {
        String value = string(name);
        if (value == null) {
            fields.fail(FieldError.of("missing", List.of("query", name), "Field required", null));
        }
        return value;
    }

    String literal(String name, List<String> allowed, String fallback) {
        String value = fields.literal(TextNode.valueOf(string(name)), List.of("query", name), allowed);
        return value == null ? fallback : value;
    }

    /** An integer in {@code [min, max]}, or {@code fallback} when absent. */
    long integer(String name, long min, long max, long fallback) {
        String raw = string(name);
        List<Object> loc = List.of("query", name);
        Long value = fields.integer(TextNode.valueOf(raw), loc);
        if (value == null) {
            return fallback;
        }
        if (value < min) {
            fields.fail(new FieldError("greater_than_equal", loc, "Input should be greater than or equal to " + min, raw,
                    Map.of("ge", min)));
        } else if (value > max) {
            fields.fail(new FieldError("less_than_equal", loc, "Input should be less than or equal to " + max, raw,
                    Map.of("le", max)));
        }
        return value;
    }

    /**
     * A repeated parameter ({@code ?t=a&t=b}, as Letta's SDKs send lists) whose values are members
     * of an enumeration, or null when absent; pydantic's {@code enum} error for each other value.
     */
    List<String> enumList(String name, List<String> members) {
        List<String> values = request.query().get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        for (int i = 0; i < values.size(); i++) {
            if (!members.contains(values.get(i))) {
                String expected = Fields.expected(members);
                fields.fail(new FieldError("enum", List.of("query", name, (long) i), "Input should be " + expected, values.get(i),
                        Map.of("expected", expected)));
            }
        }
        return values;
    }

    /** A boolean parameter with pydantic's lax words ({@code true}, {@code 1}, {@code yes}, …); null when absent. */
    Boolean bool(String name) {
        return fields.bool(TextNode.valueOf(string(name)), List.of("query", name));
    }

    /** Validates a boolean parameter the route accepts for compatibility and ignores. */
    void checkBool(String name) {
        bool(name);
    }
}
