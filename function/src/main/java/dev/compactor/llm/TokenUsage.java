package dev.compactor.llm;

/**
 * Tokens a model call consumed, as the provider reported them (zero when unknown). Normalised
 * across providers: {@code inputTokens} counts only input read without the prompt cache (OpenAI
 * and Gemini include cached tokens in their prompt count; they are moved to
 * {@code cacheReadTokens}), and {@code outputTokens} includes reasoning tokens, which are billed
 * as output.
 */
public record TokenUsage(long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens) {
    public static final TokenUsage NONE = new TokenUsage(0, 0, 0, 0);
}
