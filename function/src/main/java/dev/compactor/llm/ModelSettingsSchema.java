package dev.compactor.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.compactor.input.FieldError;
import dev.compactor.input.Fields;
import dev.compactor.support.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Letta's {@code model_settings} union, one field list per {@code provider_type}, with the types
 * and enums of Letta's schema. A field the provider's settings class does not declare is ignored,
 * as Letta's pydantic models ignore it. Values get pydantic's lax coercions; the result holds only
 * the declared fields actually sent.
 */
public final class ModelSettingsSchema {
    /** Tags of the union, as Letta's SDK lists them. */
    public static final List<String> PROVIDER_TYPES = List.of("openai", "sglang", "anthropic", "google_ai",
            "google_vertex", "azure", "xai", "zai", "groq", "deepseek", "together", "bedrock", "baseten",
            "openrouter", "chatgpt_oauth", "moonshot", "moonshot_coding");

    private static final List<String> OPENAI_EFFORTS = List.of("none", "minimal", "low", "medium", "high", "xhigh");
    private static final List<String> CHATGPT_EFFORTS = List.of("none", "low", "medium", "high", "xhigh");
    private static final List<String> ANTHROPIC_EFFORTS = List.of("low", "medium", "high", "xhigh", "max");
    private static final List<String> VERBOSITIES = List.of("low", "medium", "high");
    private static final List<String> ENABLED_DISABLED = List.of("enabled", "disabled");
    private static final List<String> FORMAT_TYPES = List.of("text", "json_schema", "json_object");
    private static final double MAX_TEMPERATURE = 2.0;

    private enum Type { POSITIVE_INT, TEMPERATURE, BOOL, STRING, OPENAI_REASONING, CHATGPT_REASONING, RESPONSE_FORMAT,
        ANTHROPIC_THINKING, ZAI_THINKING, GOOGLE_THINKING, EFFORT, VERBOSITY }

    private static final Map<String, Map<String, Type>> SCHEMA = schema();

    private ModelSettingsSchema() {}

    private static Map<String, Map<String, Type>> schema() {
        Map<String, Type> base = fields("max_output_tokens", Type.POSITIVE_INT, "parallel_tool_calls", Type.BOOL,
                "temperature", Type.TEMPERATURE);
        Map<String, Type> withFormat = extend(base, "response_format", Type.RESPONSE_FORMAT);
        Map<String, Type> openai = extend(withFormat, "reasoning", Type.OPENAI_REASONING, "strict", Type.BOOL);
        Map<String, Type> anthropic = extend(withFormat, "thinking", Type.ANTHROPIC_THINKING, "verbosity", Type.VERBOSITY,
                "effort", Type.EFFORT, "strict", Type.BOOL);
        Map<String, Type> google = extend(base, "thinking_config", Type.GOOGLE_THINKING, "response_schema", Type.RESPONSE_FORMAT);
        Map<String, Map<String, Type>> out = new LinkedHashMap<>();
        out.put("openai", openai);
        out.put("sglang", extend(openai, "tool_call_parser", Type.STRING));
        out.put("anthropic", anthropic);
        out.put("moonshot_coding", anthropic);
        out.put("google_ai", google);
        out.put("google_vertex", google);
        for (String p : List.of("azure", "xai", "groq", "deepseek", "together", "bedrock", "openrouter")) {
            out.put(p, withFormat);
        }
        out.put("moonshot", extend(withFormat, "strict", Type.BOOL));
        out.put("zai", extend(withFormat, "thinking", Type.ZAI_THINKING));
        out.put("baseten", base);
        out.put("chatgpt_oauth", extend(base, "reasoning", Type.CHATGPT_REASONING));
        return Map.copyOf(out);
    }

    private static Map<String, Type> fields(Object... nameTypePairs) {
        return extend(Map.of(), nameTypePairs);
    }

    private static Map<String, Type> extend(Map<String, Type> base, Object... nameTypePairs) {
        Map<String, Type> out = new LinkedHashMap<>(base);
        for (int i = 0; i < nameTypePairs.length; i += 2) {
            out.put((String) nameTypePairs[i], (Type) nameTypePairs[i + 1]);
        }
        return out;
    }

    /**
     * Validates settings whose {@code provider_type} is one of {@link #PROVIDER_TYPES}.
     *
     * @return the normalised settings ({@code provider_type} and every non-null field sent), or
     *     null when something was invalid (the errors are in {@code fields})
     */
    public static Map<String, Object> validate(ObjectNode raw, List<Object> loc, Fields fields) {
        String tag = raw.get("provider_type").textValue();
        Map<String, Type> declared = SCHEMA.get(tag);
        List<Object> at = Fields.loc(loc, tag);
        int errorsBefore = fields.errors().size();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("provider_type", tag);
        for (Map.Entry<String, Type> field : declared.entrySet()) {
            JsonNode value = Fields.get(raw, field.getKey());
            if (value != null) {
                Object normalised = read(field.getValue(), value, Fields.loc(at, field.getKey()), fields);
                if (normalised != null) {
                    out.put(field.getKey(), normalised);
                }
            }
        }
        return fields.errors().size() > errorsBefore ? null : out;
    }

    /** Whether the settings of {@code providerType} (one of {@link #PROVIDER_TYPES}) declare {@code field}. */
    public static boolean declares(String providerType, String field) {
        Map<String, Type> declared = SCHEMA.get(providerType);
        return declared != null && declared.containsKey(field);
    }

    private static Object read(Type type, JsonNode value, List<Object> loc, Fields fields) {
        return switch (type) {
            case POSITIVE_INT -> atLeast(fields.integer(value, loc), 1, value, loc, fields);
            case TEMPERATURE -> temperature(fields.number(value, loc), value, loc, fields);
            case BOOL -> fields.bool(value, loc);
            case STRING -> fields.string(value, loc);
            case EFFORT -> fields.literal(value, loc, ANTHROPIC_EFFORTS);
            case VERBOSITY -> fields.literal(value, loc, VERBOSITIES);
            case OPENAI_REASONING -> reasoning(value, loc, fields, OPENAI_EFFORTS);
            case CHATGPT_REASONING -> reasoning(value, loc, fields, CHATGPT_EFFORTS);
            case RESPONSE_FORMAT -> responseFormat(value, loc, fields);
            case ANTHROPIC_THINKING -> thinking(value, loc, fields, "budget_tokens", Type.POSITIVE_INT);
            case ZAI_THINKING -> thinking(value, loc, fields, "clear_thinking", Type.BOOL);
            case GOOGLE_THINKING -> googleThinking(value, loc, fields);
        };
    }

    private static Long atLeast(Long value, long min, Object raw, List<Object> loc, Fields fields) {
        if (value != null && value < min) {
            fields.fail(new FieldError("greater_than_equal", loc, "Input should be greater than or equal to " + min, raw,
                    Map.of("ge", min)));
            return null;
        }
        return value;
    }

    private static Double temperature(Double value, Object raw, List<Object> loc, Fields fields) {
        if (value == null) {
            return null;
        }
        if (!Double.isFinite(value)) {
            fields.fail(FieldError.of("finite_number", loc, "Input should be a finite number", raw));
        } else if (value < 0) {
            fields.fail(new FieldError("greater_than_equal", loc, "Input should be greater than or equal to 0", raw,
                    Map.of("ge", 0.0)));
        } else if (value > MAX_TEMPERATURE) {
            fields.fail(new FieldError("less_than_equal", loc, "Input should be less than or equal to " + MAX_TEMPERATURE, raw,
                    Map.of("le", MAX_TEMPERATURE)));
        } else {
            return value;
        }
        return null;
    }

    private static Map<String, Object> reasoning(JsonNode value, List<Object> loc, Fields fields, List<String> efforts) {
        ObjectNode map = fields.object(value, loc, "Reasoning");
        if (map == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        putIfPresent(out, "reasoning_effort", fields.literal(Fields.get(map, "reasoning_effort"), Fields.loc(loc, "reasoning_effort"), efforts));
        return out;
    }

    /** Anthropic's and Z.ai's thinking objects: {@code type} enabled/disabled plus one field of their own. */
    private static Map<String, Object> thinking(JsonNode value, List<Object> loc, Fields fields, String other, Type otherType) {
        ObjectNode map = fields.object(value, loc, "Thinking");
        if (map == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        putIfPresent(out, "type", fields.literal(Fields.get(map, "type"), Fields.loc(loc, "type"), ENABLED_DISABLED));
        JsonNode raw = Fields.get(map, other);
        if (raw != null) {
            putIfPresent(out, other, read(otherType, raw, Fields.loc(loc, other), fields));
        }
        return out;
    }

    private static Map<String, Object> googleThinking(JsonNode value, List<Object> loc, Fields fields) {
        ObjectNode map = fields.object(value, loc, "ThinkingConfig");
        if (map == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        putIfPresent(out, "include_thoughts", fields.bool(Fields.get(map, "include_thoughts"), Fields.loc(loc, "include_thoughts")));
        JsonNode budget = Fields.get(map, "thinking_budget");
        // Gemini takes -1 for a budget the model chooses itself.
        putIfPresent(out, "thinking_budget", atLeast(fields.integer(budget, Fields.loc(loc, "thinking_budget")), -1, budget,
                Fields.loc(loc, "thinking_budget"), fields));
        return out;
    }

    private static Map<String, Object> responseFormat(JsonNode value, List<Object> loc, Fields fields) {
        ObjectNode map = fields.object(value, loc, "ResponseFormat");
        if (map == null) {
            return null;
        }
        JsonNode tag = Fields.get(map, "type");
        String t = tag != null && tag.isTextual() ? tag.textValue() : null;
        if (t == null || !FORMAT_TYPES.contains(t)) {
            String expected = Fields.expected(FORMAT_TYPES);
            fields.fail(t != null
                    ? new FieldError("union_tag_invalid", loc, "Input tag '" + t + "' found using 'type' does not match any of the "
                            + "expected tags: " + expected, value, Map.of("discriminator", "'type'", "tag", t, "expected_tags", expected))
                    : new FieldError("union_tag_not_found", loc, "Unable to extract tag using discriminator 'type'", value,
                            Map.of("discriminator", "'type'")));
            return null;
        }
        List<Object> at = Fields.loc(loc, t);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", t);
        if ("json_schema".equals(t)) {
            JsonNode schema = Fields.get(map, "json_schema");
            if (schema == null) {
                fields.fail(FieldError.of("missing", Fields.loc(at, "json_schema"), "Field required", value));
                return null;
            }
            putIfPresent(out, "json_schema", Json.toJava(fields.object(schema, Fields.loc(at, "json_schema"), "dict")));
        } else {
        }
        return out;
    }

    private static void putIfPresent(Map<String, Object> out, String key, Object value) {
        if (value != null) {
            out.put(key, value);
        }
    }
}
