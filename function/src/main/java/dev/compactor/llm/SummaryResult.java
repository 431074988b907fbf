package dev.compactor.llm;

/**
 * A summarizer's answer.
 *
 * @param source {@code llm} for a model's summary, {@code extractive} for the offline one
 */
public record SummaryResult(String text, String source, ModelHandle model, TokenUsage usage, long latencyMillis) {
    public static final String LLM = "llm";
    public static final String EXTRACTIVE = "extractive";
}
