package dev.compactor.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.compactor.conversation.ModelSettings;
import dev.compactor.input.FieldError;
import dev.compactor.input.Fields;
import dev.compactor.support.Json;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

    /** The fields each settings class declares. */
    private static final Map<String, Set<String>> SCHEMA = schema();

    private ModelSettingsSchema() {}

    private static Map<String, Set<String>> schema() {
        Set<String> base = fields(Set.of(), "max_output_tokens", "parallel_tool_calls", "temperature");
        Set<String> withFormat = fields(base, "response_format");
        Set<String> openai = fields(withFormat, "reasoning", "strict");
        Set<String> anthropic = fields(withFormat, "thinking", "verbosity", "effort", "strict");
        Set<String> google = fields(base, "thinking_config", "response_schema");
        Map<String, Set<String>> out = new LinkedHashMap<>();
        out.put("openai", openai);
        out.put("sglang", fields(openai, "tool_call_parser"));
        out.put("anthropic", anthropic);
        out.put("moonshot_coding", anthropic);
        out.put("google_ai", google);
        out.put("google_vertex", google);
        for (String p : List.of("azure", "xai", "groq", "deepseek", "together", "bedrock", "openrouter")) {
            out.put(p, withFormat);
        }
        out.put("moonshot", fields(withFormat, "strict"));
        out.put("zai", fields(withFormat, "thinking"));
        out.put("baseten", base);
        out.put("chatgpt_oauth", fields(base, "reasoning"));
        return Map.copyOf(out);
    }

    private static Set<String> fields(Set<String> base, String... names) {
        Set<String> out = new HashSet<>(base);
        out.addAll(List.of(names));
        return Set.copyOf(out);
    }

    /**
     * Validates settings whose {@code provider_type} is one of {@link #PROVIDER_TYPES}, field by
     * field in the record's order (which follows each class's own, so errors come in Letta's order).
     *
     * @return the settings ({@code provider_type} and every non-null declared field sent), or
     *     null when something was invalid (the errors are in {@code fields})
     */
    public static ModelSettings validate(ObjectNode raw, List<Object> loc, Fields fields) {
        String tag = raw.get("provider_type").textValue();
        Sent sent = new Sent(raw, SCHEMA.get(tag), Fields.loc(loc, tag));
        int errorsBefore = fields.errors().size();
        ModelSettings out = new ModelSettings(tag,
                sent.read("max_output_tokens", (v, at) -> positive(v, at, fields)),
                sent.read("parallel_tool_calls", fields::bool),
                sent.read("temperature", (v, at) -> temperature(fields.number(v, at), v, at, fields)),
                sent.read("response_format", (v, at) -> responseFormat(v, at, fields)),
                sent.read("reasoning", (v, at) -> reasoning(v, at, fields, "chatgpt_oauth".equals(tag) ? CHATGPT_EFFORTS : OPENAI_EFFORTS)),
                sent.read("thinking", (v, at) -> thinking(v, at, fields, "zai".equals(tag))),
                sent.read("verbosity", (v, at) -> fields.literal(v, at, VERBOSITIES)),
                sent.read("effort", (v, at) -> fields.literal(v, at, ANTHROPIC_EFFORTS)),
                sent.read("strict", fields::bool),
                sent.read("tool_call_parser", fields::string),
                sent.read("thinking_config", (v, at) -> googleThinking(v, at, fields)),
                sent.read("response_schema", (v, at) -> responseFormat(v, at, fields)));
        return fields.errors().size() > errorsBefore ? null : out;
    }

    /** The settings object sent, read one declared field at a time. */
    private record Sent(ObjectNode raw, Set<String> declared, List<Object> loc) {
        interface Reader<T> {
            T read(JsonNode value, List<Object> loc);
        }

        /** The field's value as {@code reader} gives it; null when not declared, not sent or sent as null. */
        <T> T read(String field, Reader<T> reader) {
            JsonNode value = declared.contains(field) ? Fields.get(raw, field) : null;
            return value == null ? null : reader.read(value, Fields.loc(loc, field));
        }
    }

    /** Whether the settings of {@code providerType} (one of {@link #PROVIDER_TYPES}) declare {@code field}. */
    public static boolean declares(String providerType, String field) {
        Set<String> declared = SCHEMA.get(providerType);
        return declared != null && declared.contains(field);
    }

    private static Long positive(JsonNode value, List<Object> loc, Fields fields) {
        return atLeast(fields.integer(value, loc), 1, value, loc, fields);
    }

    private static Long atLeast(Long value, long min, JsonNode raw, List<Object> loc, Fields fields) {
        if (value != null && value < min) {
            fields.fail(new FieldError("greater_than_equal", loc, "Input should be greater than or equal to " + min, raw,
                    Map.of("ge", min)));
            return null;
        }
        return value;
    }

    private static Double temperature(Double value, JsonNode raw, List<Object> loc, Fields fields) {
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

    private static ModelSettings.Reasoning reasoning(JsonNode value, List<Object> loc, Fields fields, List<String> efforts) {
        ObjectNode map = fields.object(value, loc, "Reasoning");
        if (map == null) {
            return null;
        }
        return new ModelSettings.Reasoning(fields.literal(Fields.get(map, "reasoning_effort"), Fields.loc(loc, "reasoning_effort"), efforts));
    }

    /**
     * Anthropic's and Z.ai's thinking objects: {@code type} enabled/disabled plus one field of
     * their own ({@code budget_tokens}, Z.ai's {@code clear_thinking}).
     */
    private static ModelSettings.Thinking thinking(JsonNode value, List<Object> loc, Fields fields, boolean zai) {
        ObjectNode map = fields.object(value, loc, "Thinking");
        if (map == null) {
            return null;
        }
        String type = fields.literal(Fields.get(map, "type"), Fields.loc(loc, "type"), ENABLED_DISABLED);
        if (zai) {
            JsonNode clear = Fields.get(map, "clear_thinking");
            return new ModelSettings.Thinking(type, null, clear == null ? null : fields.bool(clear, Fields.loc(loc, "clear_thinking")));
        }
        JsonNode budget = Fields.get(map, "budget_tokens");
        return new ModelSettings.Thinking(type, budget == null ? null : positive(budget, Fields.loc(loc, "budget_tokens"), fields), null);
    }

    private static ModelSettings.ThinkingConfig googleThinking(JsonNode value, List<Object> loc, Fields fields) {
        ObjectNode map = fields.object(value, loc, "ThinkingConfig");
        if (map == null) {
            return null;
        }
        Boolean include = fields.bool(Fields.get(map, "include_thoughts"), Fields.loc(loc, "include_thoughts"));
        JsonNode budget = Fields.get(map, "thinking_budget");
        List<Object> at = Fields.loc(loc, "thinking_budget");
        // Gemini takes -1 for a budget the model chooses itself.
        return new ModelSettings.ThinkingConfig(include, atLeast(fields.integer(budget, at), -1, budget, at, fields));
    }

    private static ModelSettings.ResponseFormat responseFormat(JsonNode value, List<Object> loc, Fields fields) {
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
                            + "expected tags: " + expected, value, FieldError.ctx("discriminator", "'type'", "tag", t, "expected_tags", expected))
                    : new FieldError("union_tag_not_found", loc, "Unable to extract tag using discriminator 'type'", value,
                            Map.of("discriminator", "'type'")));
            return null;
        }
        if (!"json_schema".equals(t)) {
            return new ModelSettings.ResponseFormat(t, null);
        }
        List<Object> at = Fields.loc(loc, t);
        JsonNode schema = Fields.get(map, "json_schema");
        if (schema == null) {
            fields.fail(FieldError.of("missing", Fields.loc(at, "json_schema"), "Field required", value));
            return null;
        }
        ObjectNode jsonSchema = fields.object(schema, Fields.loc(at, "json_schema"), "dict");
        return new ModelSettings.ResponseFormat(t, jsonSchema == null ? null : Json.toMap(jsonSchema));
    }
}
