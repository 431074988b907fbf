package dev.compactor.llm;

/** Tokens a model call consumed, as the provider reported them (zero when unknown). */
public record TokenUsage(long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens) {
    public static final TokenUsage NONE = new TokenUsage(0, 0, 0, 0);
}
