package dev.compactor.llm;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** What we know about models without asking their providers. */
public final class ModelCatalog {
    /** Letta's fallback context window for a model it knows nothing about. */
    public static final int DEFAULT_CONTEXT_WINDOW = 128_000;
    /** The deployment's default summarizer in the cloud: Claude Haiku 4.5 through the US cross-region inference profile. */
    public static final String BEDROCK_DEFAULT = "bedrock/us.anthropic.claude-haiku-4-5-20251001-v1:0";

    /** Letta's light per-provider summarizer defaults (used when nothing else names a model). */
    private static final Map<String, String> PROVIDER_DEFAULT_SUMMARIZER = Map.of(
            "anthropic", "anthropic/claude-haiku-4-5",
            "openai", "openai/gpt-5-mini",
            "google_ai", "google_ai/gemini-2.5-flash");

    /**
     * Context windows by model family, first match wins; the patterns look at the model part of a
     * handle, lower-cased. Values follow Letta's (GPT-5 272k, GPT-4.1 256k, Bedrock Claude 200k)
     * and the vendors' published limits otherwise.
     */
    private static final List<Window> WINDOWS = List.of(
            new Window("claude", 200_000),
            new Window("gpt-5", 272_000),
            new Window("gpt-4\\.1", 256_000),
            new Window("gpt-4o", 128_000),
            new Window("(^|/)o[134]", 200_000),
            new Window("gemini", 1_048_576),
            new Window("grok-4", 256_000),
            new Window("kimi-k2", 256_000),
            new Window("glm-4\\.[5-9]|glm-5", 200_000),
            new Window("deepseek", 128_000),
            new Window("llama", 128_000),
            new Window("qwen", 128_000));
    /** Letta gives Bedrock models other than Claude 100k. */
    private static final int BEDROCK_OTHER_WINDOW = 100_000;

    /** OpenAI models that reason (no temperature; reasoning effort applies). */
    private static final Pattern OPENAI_REASONING = Pattern.compile("^(o\\d|gpt-5(?!-chat))");
    /** OpenAI models served only by the Responses API. */
    private static final Pattern OPENAI_RESPONSES_ONLY = Pattern.compile("codex|-pro\\b");

    /** Claude models Letta sends {@code output_config.effort} to (Opus 4.5, Opus 4.6, Sonnet 4.6). */
    private static final List<String> ANTHROPIC_EFFORT_MODELS = List.of("claude-opus-4-5", "claude-opus-4-6", "claude-sonnet-4-6");

    private record Window(Pattern pattern, int tokens) {
        Window(String regex, int tokens) {
            this(Pattern.compile(regex), tokens);
        }
    }

    private ModelCatalog() {}

    /** Letta's default summarizer for an agent on {@code provider}, or null when Letta has none. */
    public static ModelHandle defaultSummarizerFor(String provider) {
        String handle = PROVIDER_DEFAULT_SUMMARIZER.get(provider);
        return handle == null ? null : ModelHandle.parse(handle);
    }

    public static int contextWindow(ModelHandle handle) {
        if (ExtractiveSummarizer.HANDLE.equals(handle)) {
            return Integer.MAX_VALUE;
        }
        String model = handle.model().toLowerCase(Locale.ROOT);
        for (Window w : WINDOWS) {
            if (w.pattern().matcher(model).find()) {
                return w.tokens();
            }
        }
        return "bedrock".equals(handle.provider()) ? BEDROCK_OTHER_WINDOW : DEFAULT_CONTEXT_WINDOW;
    }

    public static boolean isOpenAiReasoningModel(String model) {
        return OPENAI_REASONING.matcher(model.toLowerCase(Locale.ROOT)).find();
    }

    /** OpenAI models Letta sends through the Responses API (its reasoning models: o1, o3, o4, GPT-5). */
    private static final Pattern OPENAI_RESPONSES = Pattern.compile("^(o1|o3|o4|gpt-5)");

    /** Whether an OpenAI model's summaries go through the Responses API. */
    public static boolean usesResponsesApi(String model) {
        return needsResponsesApi(model) || OPENAI_RESPONSES.matcher(model.toLowerCase(Locale.ROOT)).find();
    }

    /** Whether an OpenAI model takes {@code text.verbosity} (GPT-5 models, as Letta gates it). */
    public static boolean takesVerbosity(String model) {
        return model.toLowerCase(Locale.ROOT).startsWith("gpt-5");
    }

    /**
     * The reasoning effort Letta's model configuration gives an OpenAI model when the settings name
     * none: {@code none} for GPT-5.1 and later, {@code medium} for codex (which refuses
     * {@code minimal}), {@code minimal} for the other GPT-5 models; null (the API's default) otherwise.
     */
    public static String defaultReasoningEffort(String model) {
        String m = model.toLowerCase(Locale.ROOT);
        if (!m.startsWith("gpt-5")) {
            return null;
        }
        if (m.matches("gpt-5\\.[1-9].*")) {
            return "none";
        }
        return m.contains("codex") ? "medium" : "minimal";
    }

    /** Letta's default verbosity for GPT-5 models; null for the others. */
    public static String defaultVerbosity(String model) {
        return takesVerbosity(model) ? "medium" : null;
    }

    /** Whether an Anthropic model takes {@code effort}; the others may reject it. */
    public static boolean anthropicTakesEffort(String model) {
        String m = model.toLowerCase(Locale.ROOT);
        for (String prefix : ANTHROPIC_EFFORT_MODELS) {
            if (m.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    public static boolean needsResponsesApi(String model) {
        return OPENAI_RESPONSES_ONLY.matcher(model.toLowerCase(Locale.ROOT)).find();
    }
}
