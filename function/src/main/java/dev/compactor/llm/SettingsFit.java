package dev.compactor.llm;

import dev.compactor.conversation.ModelSettings;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What of validated {@code model_settings} (see {@link ModelSettingsSchema}) a model can take,
 * decided once by the same rules wherever settings arrive: a field the model cannot take is
 * dropped and named, never an error (Letta passes every setting through its provider's client,
 * which ignores what it cannot send). Each adapter then maps the fields left to its provider's own
 * request fields.
 */
public final class SettingsFit {
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

    private SettingsFit() {}

    /**
     * What of the settings a model can take.
     *
     * @param settings the fields that apply, tagged with the target's provider (null when none was sent)
     * @param notApplied the fields dropped, as {@code model_settings.<field>} paths, in the JSON's order
     */
    public record Judged(ModelSettings settings, List<String> notApplied) {}

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
     * @param validated settings from {@link ModelSettingsSchema#validate}, or null
     */
    public static Judged judge(ModelHandle target, ModelSettings validated) {
        if (validated == null) {
            return new Judged(null, List.of());
        }
        String provider = target.provider();
        boolean offline = ExtractiveSummarizer.HANDLE.equals(target);
        String settingsClass = ModelSettingsSchema.PROVIDER_TYPES.contains(provider) ? provider : SETTINGS_CLASS.get(provider);
        Set<String> dropped = new HashSet<>();
        List<String> notApplied = new ArrayList<>();
        ModelSettings kept = validated;
        for (String field : validated.fieldsSet()) {
            boolean declared = !offline && (settingsClass == null ? PORTABLE.equals(field)
                    : ModelSettingsSchema.declares(settingsClass, field) || "openai".equals(provider) && "verbosity".equals(field));
            if (!declared || !takes(target, field, kept)) {
                dropped.add(field);
                notApplied.add(PREFIX + field);
                kept = validated.keeping(validated.providerType(), f -> !dropped.contains(f));
            }
        }
        return new Judged(kept.keeping(offline ? validated.providerType() : provider, f -> true), List.copyOf(notApplied));
    }

    /** Whether {@code target} can take {@code field} (declared by its provider) with the other settings kept. */
    private static boolean takes(ModelHandle target, String field, ModelSettings settings) {
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
                    || !settings.responseFormat().wantsJson();
            case "thinking" -> !MESSAGES_DIALECT.contains(provider) || thinkingFits(settings);
            default -> true;
        };
    }

    /** Anthropic needs an enabled thinking budget below the output limit. */
    private static boolean thinkingFits(ModelSettings settings) {
        ModelSettings.Thinking thinking = settings.thinking();
        if ("disabled".equals(thinking.type())) {
            return true;
        }
        long budget = thinking.budgetTokens() != null ? thinking.budgetTokens() : ANTHROPIC_DEFAULT_THINKING_BUDGET;
        long max = settings.maxOutputTokens() != null ? settings.maxOutputTokens() : ModelSettings.DEFAULT_MAX_OUTPUT_TOKENS;
        return budget < max;
    }

    /**
     * The settings {@code target} is sent: what {@link #judge} keeps of {@code validated}, or none.
     *
     * @param validated settings from {@link ModelSettingsSchema#validate}, or null
     */
    public static ModelSettings forTarget(ModelHandle target, ModelSettings validated) {
        ModelSettings judged = judge(target, validated).settings();
        return judged == null ? ModelSettings.NONE : judged;
    }

    /**
     * The part of {@code validated} a failover target can be given, re-tagged for its provider,
     * and the fields left behind.
     */
    static Carried carryTo(ModelHandle target, ModelSettings validated) {
        if (validated == null) {
            return new Carried(null, List.of());
        }
        List<String> dropped = new ArrayList<>(validated.fieldsSet());
        dropped.remove(PORTABLE);
        boolean portable = validated.maxOutputTokens() != null;
        if (!portable || !ModelSettingsSchema.PROVIDER_TYPES.contains(target.provider())
                && !SETTINGS_CLASS.containsKey(target.provider())) {
            if (portable) {
                dropped.add(PORTABLE);
            }
            return new Carried(null, List.copyOf(dropped));
        }
        return new Carried(validated.keeping(target.provider(), PORTABLE::equals), List.copyOf(dropped));
    }

    record Carried(ModelSettings settings, List<String> dropped) {}
}
