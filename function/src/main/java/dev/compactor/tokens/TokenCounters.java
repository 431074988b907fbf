package dev.compactor.tokens;

import java.util.Locale;
import java.util.Set;

/**
 * The counter for a model family: OpenAI's own byte-pair encoding for OpenAI models (served by
 * OpenAI, Azure, ChatGPT or OpenRouter's {@code openai/} models), Letta's approximate counter for
 * every other family (Letta uses it for OpenAI too; Anthropic and Gemini count through their APIs,
 * which a planner that must not call a model cannot do).
 */
public final class TokenCounters {
    private static final Set<String> OPENAI_HOSTS = Set.of("openai", "azure", "chatgpt_oauth");

    private TokenCounters() {}

    /**
     * @param provider the handle's provider ({@code openai}, {@code bedrock}, …), or null
     * @param model the handle's model part, or null
     */
    public static TokenCounter forModel(String provider, String model) {
        if (provider == null || model == null) {
            return ApproxTokenCounter.INSTANCE;
        }
        String p = provider.toLowerCase(Locale.ROOT);
        String m = model.toLowerCase(Locale.ROOT);
        if ("openrouter".equals(p) && m.startsWith("openai/")) {
            m = m.substring("openai/".length());
        } else if (!OPENAI_HOSTS.contains(p)) {
            return ApproxTokenCounter.INSTANCE;
        }
        return encodingFor(m);
    }

    /** {@code cl100k_base} for GPT-4 and GPT-3.5 (not GPT-4o or GPT-4.1), {@code o200k_base} otherwise. */
    static TokenCounter encodingFor(String model) {
        boolean gpt4Classic = model.startsWith("gpt-4") && !model.startsWith("gpt-4o") && !model.startsWith("gpt-4.1")
                && !model.startsWith("gpt-4.5");
        if (gpt4Classic || model.startsWith("gpt-3.5") || model.startsWith("text-embedding")) {
            return BpeTokenCounter.CL100K;
        }
        return BpeTokenCounter.O200K;
    }
}
