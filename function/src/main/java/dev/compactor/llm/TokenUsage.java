package dev.compactor.llm;

/**
 * Tokens a model call consumed, as the provider reported them (zero when unknown). Normalised
 * across providers: {@code inputTokens} counts only input read without the prompt cache (OpenAI
 * and Gemini include cached tokens in their prompt count; they are moved to
 * {@code cacheReadTokens}), and {@code outputTokens} includes reasoning tokens, which are billed
 * as output.
 *
 * @param rejected why the provider's figures could not be true (see {@link UsageCheck}), in which
 *     case every count is zero and the call is unpriced; null for figures that passed
 */
public record TokenUsage(long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens, String rejected) {
    public static final TokenUsage NONE = new TokenUsage(0, 0, 0, 0);

    public TokenUsage(long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens) {
        this(inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, null);
    }

    /** No counts, because the provider's could not be true; {@code reason} says why. */
    public static TokenUsage rejected(String reason) {
        return new TokenUsage(0, 0, 0, 0, reason);
    }
}
