package dev.compactor.llm;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.compactor.support.JsonMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Validated {@code model_settings} (see {@link ModelSettingsSchema}) bound to the model they will
 * be sent to. {@link #judge} decides once what of them that model can take, by the same rules
 * wherever settings arrive: a field the model cannot take is dropped and named, never an error
 * (Letta passes every setting through its provider's client, which ignores what it cannot send).
 * Each adapter then maps the fields left to its provider's own request fields.
 *
 * <p>{@code parallel_tool_calls}, {@code strict} and {@code tool_call_parser} configure tool
 * calling; a summary call sends no tools, so they are accepted and have nothing to act on.
 */
public final class ModelSettings {
    /** The one field every provider honours, so it is the only one a failover target inherits. */
    static final String PORTABLE = "max_output_tokens";
    /** Providers served by the Anthropic Messages dialect. */
    private static final List<String> MESSAGES_DIALECT = List.of("anthropic", "moonshot_coding", "minimax");
    /**
     * Letta's providers without a settings class of their own: settings of any tag are applied to
     * their configuration and their client reads the fields of the class named here (MiniMax's
     * client is Anthropic's; the others use Letta's OpenAI client).
     */
    private static final Map<String, String> SETTINGS_CLASS = Map.of("ollama", "openai", "vllm", "openai",
            "lmstudio_openai", "openai", "mistral", "openai", "cerebras", "openai", "fireworks", "openai",
            "hugging-face", "openai", "minimax", "anthropic");
    private static final String PREFIX = "model_settings.";
    /** Letta's default {@code thinking.budget_tokens}. */
    private static final long ANTHROPIC_DEFAULT_THINKING_BUDGET = 1024;

    private final Values values;

    private ModelSettings(Values values) {
        this.values = values;
    }

    /**
     * What of {@code validated} a model can take.
     *
     * @param settings the fields that apply, tagged with the target's provider (null when none was sent)
     * @param notApplied the fields dropped, as {@code model_settings.<field>} paths, in the schema's order
     */
    public record Judged(Map<String, Object> settings, List<String> notApplied) {}

    /**
     * Judges settings for {@code target}: settings of another provider keep the fields the
     * target's provider declares (re-tagged for it), as Letta applies them to the summarizer's
     * configuration whatever their tag (a provider without a class of its own takes the fields of
     * the class its Letta client reads, see {@link #SETTINGS_CLASS}); then the fields the target
     * model cannot take are dropped, as Letta's clients leave them out of the request: temperature
     * for OpenAI reasoning models; reasoning for models that do not reason (for OpenAI, those not
     * sent through the Responses API); verbosity except for OpenAI's GPT-5 models (which read it
     * whatever tag carried it); {@code effort} except for the Claude models that take it;
     * structured output through the Messages API and Converse; a thinking budget not below the
     * output limit; anything for the offline summarizer.
     *
     * @param validated normalised settings from {@link ModelSettingsSchema#validate}, or null
     */
    public static Judged judge(ModelHandle target, Map<String, Object> validated) {
        if (validated == null) {
            return new Judged(null, List.of());
        }
        Map<String, Object> kept = new LinkedHashMap<>(validated);
        List<String> dropped = new ArrayList<>();
        kept.remove("provider_type");
        String provider = target.provider();
        boolean offline = ExtractiveSummarizer.HANDLE.equals(target);
        String settingsClass = ModelSettingsSchema.PROVIDER_TYPES.contains(provider) ? provider : SETTINGS_CLASS.get(provider);
        for (String field : List.copyOf(kept.keySet())) {
            boolean declared = !offline && (settingsClass == null ? PORTABLE.equals(field)
                    : ModelSettingsSchema.declares(settingsClass, field) || "openai".equals(provider) && "verbosity".equals(field));
            if (!declared || !takes(target, field, kept)) {
                kept.remove(field);
                dropped.add(PREFIX + field);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("provider_type", offline ? validated.get("provider_type") : provider);
        out.putAll(kept);
        return new Judged(out, List.copyOf(dropped));
    }

    /** Whether {@code target} can take {@code field} (declared by its provider) with the other settings sent. */
    private static boolean takes(ModelHandle target, String field, Map<String, Object> settings) {
        String provider = target.provider();
        String model = target.model();
        boolean reasoning = ModelCatalog.isOpenAiReasoningModel(model);
        return switch (field) {
            case "temperature" -> !("openai".equals(provider) && reasoning);
            case "reasoning" -> "openai".equals(provider) ? reasoning && ModelCatalog.usesResponsesApi(model)
                    : !"openai".equals(SETTINGS_CLASS.get(provider)) || reasoning;
            case "verbosity" -> "openai".equals(provider) && ModelCatalog.takesVerbosity(model);
            case "effort" -> ModelCatalog.anthropicTakesEffort(model);
            case "response_format" -> !(MESSAGES_DIALECT.contains(provider) || "bedrock".equals(provider))
                    || !wantsJson(settings.get(field));
            case "thinking" -> !MESSAGES_DIALECT.contains(provider) || thinkingFits(settings);
            default -> true;
        };
    }

    private static boolean wantsJson(Object format) {
        return format instanceof Map<?, ?> f && !"text".equals(f.get("type"));
    }

    /** Anthropic needs an enabled thinking budget below the output limit. */
    private static boolean thinkingFits(Map<String, Object> settings) {
        if (!(settings.get("thinking") instanceof Map<?, ?> thinking) || "disabled".equals(thinking.get("type"))) {
            return true;
        }
        long budget = thinking.get("budget_tokens") instanceof Long b ? b : ANTHROPIC_DEFAULT_THINKING_BUDGET;
        long max = settings.get(PORTABLE) instanceof Long m ? m : ModelCatalog.DEFAULT_MAX_OUTPUT_TOKENS;
        return budget < max;
    }

    /**
     * The settings {@code target} is sent: what {@link #judge} keeps of {@code validated}.
     *
     * @param validated normalised settings from {@link ModelSettingsSchema#validate}, or null
     */
    public static ModelSettings forTarget(ModelHandle target, Map<String, Object> validated) {
        Judged judged = judge(target, validated);
        return new ModelSettings(judged.settings() == null ? Values.NONE
                : JsonMapper.MAPPER.convertValue(judged.settings(), Values.class));
    }

    /**
     * The part of {@code validated} a failover target can be given, re-tagged for its provider,
     * and the fields left behind.
     */
    static Carried carryTo(ModelHandle target, Map<String, Object> validated) {
        if (validated == null) {
            return new Carried(null, List.of());
        }
        List<String> dropped = new ArrayList<>();
        for (String field : validated.keySet()) {
            if (!"provider_type".equals(field) && !PORTABLE.equals(field)) {
                dropped.add(field);
            }
        }
        if (!validated.containsKey(PORTABLE) || !ModelSettingsSchema.PROVIDER_TYPES.contains(target.provider())
                && !SETTINGS_CLASS.containsKey(target.provider())) {
            return new Carried(null, validated.containsKey(PORTABLE) ? append(dropped, PORTABLE) : dropped);
        }
        Map<String, Object> carried = new LinkedHashMap<>();
        carried.put("provider_type", target.provider());
        carried.put(PORTABLE, validated.get(PORTABLE));
        return new Carried(carried, dropped);
    }

    record Carried(Map<String, Object> settings, List<String> dropped) {}

    /**
     * The judged fields an adapter reads, bound from the validated JSON (the tool-calling options
     * and the tag have nothing to act on in a summary call).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Values(@JsonProperty("max_output_tokens") Long maxOutputTokens, Double temperature, Reasoning reasoning,
                  @JsonProperty("response_format") ResponseFormat responseFormat,
                  @JsonProperty("response_schema") ResponseFormat responseSchema, Thinking thinking,
                  @JsonProperty("thinking_config") ThinkingConfig thinkingConfig, String effort, String verbosity) {
        static final Values NONE = new Values(null, null, null, null, null, null, null, null, null);
    }

    public record Reasoning(@JsonProperty("reasoning_effort") String reasoningEffort) {}

    /** @param jsonSchema the caller's {@code json_schema} object (name, schema, strict): its JSON Schema is free-form */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ResponseFormat(String type, @JsonProperty("json_schema") Map<String, Object> jsonSchema) {}

    /** Anthropic's thinking ({@code budget_tokens}) or Z.ai's ({@code clear_thinking}), as sent. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Thinking(String type, @JsonProperty("budget_tokens") Long budgetTokens,
                           @JsonProperty("clear_thinking") Boolean clearThinking) {}

    /** Gemini's thinking configuration. */
    public record ThinkingConfig(@JsonProperty("include_thoughts") Boolean includeThoughts,
                                 @JsonProperty("thinking_budget") Long thinkingBudget) {}

    /** Whether the settings name an output limit (else {@link #maxOutputTokens} is Letta's default). */
    public boolean setsMaxOutputTokens() {
        return values.maxOutputTokens() != null;
    }

    public int maxOutputTokens() {
        Long v = values.maxOutputTokens();
        return v == null ? ModelCatalog.DEFAULT_MAX_OUTPUT_TOKENS : (int) Math.min(Integer.MAX_VALUE, v);
    }

    public Double temperature() {
        return values.temperature();
    }

    /** {@code reasoning.reasoning_effort} (OpenAI, SGLang, ChatGPT), or null. */
    public String reasoningEffort() {
        return values.reasoning() == null ? null : values.reasoning().reasoningEffort();
    }

    /** {@code response_format}, or Gemini's {@code response_schema} (same union), or null. */
    public ResponseFormat responseFormat() {
        return values.responseFormat() != null ? values.responseFormat() : values.responseSchema();
    }

    public Thinking thinking() {
        return values.thinking();
    }

    public ThinkingConfig thinkingConfig() {
        return values.thinkingConfig();
    }

    public String effort() {
        return values.effort();
    }

    public String verbosity() {
        return values.verbosity();
    }

    private static <T> List<T> append(List<T> list, T item) {
        List<T> out = new ArrayList<>(list);
        out.add(item);
        return out;
    }
}
