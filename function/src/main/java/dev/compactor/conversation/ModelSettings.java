package dev.compactor.conversation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.compactor.support.JsonMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Letta's {@code model_settings}: the fields of every provider's settings class in one record
 * (a provider's class declares a subset; see {@code dev.compactor.llm.ModelSettingsSchema}), as
 * validated, judged for a model, stored and returned. Only the fields sent are set; the JSON has
 * {@code provider_type} first, then the fields set, in an order every provider's own field order
 * follows, so a document reads and writes back unchanged. Fields of no class are ignored on read.
 *
 * <p>{@code parallel_tool_calls}, {@code strict} and {@code tool_call_parser} configure tool
 * calling; a summary call sends no tools, so they are kept and have nothing to act on.
 *
 * @param responseSchema Gemini's name for {@code response_format} (the same union)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"provider_type", "max_output_tokens", "parallel_tool_calls", "temperature", "response_format", "reasoning",
        "thinking", "verbosity", "effort", "strict", "tool_call_parser", "thinking_config", "response_schema"})
public record ModelSettings(
        @JsonProperty("provider_type") String providerType,
        @JsonProperty("max_output_tokens") Long maxOutputTokens,
        @JsonProperty("parallel_tool_calls") Boolean parallelToolCalls,
        Double temperature,
        @JsonProperty("response_format") ResponseFormat responseFormat,
        Reasoning reasoning,
        Thinking thinking,
        String verbosity,
        String effort,
        Boolean strict,
        @JsonProperty("tool_call_parser") String toolCallParser,
        @JsonProperty("thinking_config") ThinkingConfig thinkingConfig,
        @JsonProperty("response_schema") ResponseFormat responseSchema) {

    /** Letta's output-token limit when the settings name none. */
    public static final int DEFAULT_MAX_OUTPUT_TOKENS = 4096;
    /** No settings: what a model is sent when the caller sent none. */
    public static final ModelSettings NONE = new ModelSettings(null, null, null, null, null, null, null, null, null, null, null,
            null, null);

    /** Only {@code reasoning_effort}; sent as {@code {}} it stays {@code {}}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Reasoning(@JsonProperty("reasoning_effort") String reasoningEffort) {}

    /** Anthropic's thinking ({@code budget_tokens}) or Z.ai's ({@code clear_thinking}), as sent. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"type", "budget_tokens", "clear_thinking"})
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Thinking(String type, @JsonProperty("budget_tokens") Long budgetTokens,
                           @JsonProperty("clear_thinking") Boolean clearThinking) {}

    /** Gemini's thinking configuration. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"include_thoughts", "thinking_budget"})
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ThinkingConfig(@JsonProperty("include_thoughts") Boolean includeThoughts,
                                 @JsonProperty("thinking_budget") Long thinkingBudget) {}

    /**
     * @param jsonSchema the caller's {@code json_schema} object (name, schema, strict): a JSON
     *     Schema is free-form, so it stays plain JSON values
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"type", "json_schema"})
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ResponseFormat(String type, @JsonProperty("json_schema") Map<String, Object> jsonSchema) {
        public ResponseFormat {
            jsonSchema = jsonSchema == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(jsonSchema));
        }

        /** Whether the format asks for JSON (a schema or any object) rather than text. */
        public boolean wantsJson() {
            return !"text".equals(type);
        }
    }

    /** The field names of the JSON, {@code provider_type} aside, in its order. */
    private static final List<String> FIELDS = List.of("max_output_tokens", "parallel_tool_calls", "temperature",
            "response_format", "reasoning", "thinking", "verbosity", "effort", "strict", "tool_call_parser", "thinking_config",
            "response_schema");

    /** The fields set, {@code provider_type} aside, in the JSON's order. */
    public List<String> fieldsSet() {
        Object[] values = {maxOutputTokens, parallelToolCalls, temperature, responseFormat, reasoning, thinking, verbosity, effort,
                strict, toolCallParser, thinkingConfig, responseSchema};
        List<String> set = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) {
                set.add(FIELDS.get(i));
            }
        }
        return set;
    }

    /** These settings tagged {@code providerType}, with only the fields {@code keep} accepts. */
    public ModelSettings keeping(String providerType, Predicate<String> keep) {
        return new ModelSettings(providerType,
                keep.test("max_output_tokens") ? maxOutputTokens : null,
                keep.test("parallel_tool_calls") ? parallelToolCalls : null,
                keep.test("temperature") ? temperature : null,
                keep.test("response_format") ? responseFormat : null,
                keep.test("reasoning") ? reasoning : null,
                keep.test("thinking") ? thinking : null,
                keep.test("verbosity") ? verbosity : null,
                keep.test("effort") ? effort : null,
                keep.test("strict") ? strict : null,
                keep.test("tool_call_parser") ? toolCallParser : null,
                keep.test("thinking_config") ? thinkingConfig : null,
                keep.test("response_schema") ? responseSchema : null);
    }

    /** The output limit to send: the one set, else Letta's default. */
    public int outputLimit() {
        return maxOutputTokens == null ? DEFAULT_MAX_OUTPUT_TOKENS : (int) Math.min(Integer.MAX_VALUE, maxOutputTokens);
    }

    /** {@code reasoning.reasoning_effort} (OpenAI, SGLang, ChatGPT), or null. */
    public String reasoningEffort() {
        return reasoning == null ? null : reasoning.reasoningEffort();
    }

    /** {@code response_format}, or Gemini's {@code response_schema}, or null. */
    public ResponseFormat outputFormat() {
        return responseFormat != null ? responseFormat : responseSchema;
    }

    public String toJson() {
        try {
            return JsonMapper.MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("model settings not writable", e);
        }
    }

    /** Reads a stored document (its unknown fields ignored, as when it was validated). */
    public static ModelSettings fromJson(String json) {
        try {
            return JsonMapper.MAPPER.readValue(json, ModelSettings.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored model settings unreadable", e);
        }
    }
}
