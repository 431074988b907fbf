package dev.compactor.llm;

import java.util.List;

/**
 * A summarizer's answer.
 *
 * @param source {@code llm} for a model's summary, {@code extractive} for the offline one
 * @param model the model that wrote the summary (after any failover)
 * @param failover what failed before {@code model} answered, or null when the first model did
 */
public record SummaryResult(String text, String source, ModelHandle model, TokenUsage usage, long latencyMillis,
                            Failover failover) {
    public static final String LLM = "llm";
    public static final String EXTRACTIVE = "extractive";

    public SummaryResult(String text, String source, ModelHandle model, TokenUsage usage, long latencyMillis) {
        this(text, source, model, usage, latencyMillis, null);
    }

    /** A model of the failover chain that did not produce the summary, and why. */
    public record FailedAttempt(ModelHandle model, LlmException.Kind kind, String message) {}

    /**
     * @param attempts the models tried before the one that answered, in order
     * @param settingsNotCarried {@code model_settings} fields the answering model was not given
     *     (only the output-token limit carries over to another model)
     */
    public record Failover(List<FailedAttempt> attempts, List<String> settingsNotCarried) {
        public Failover {
            attempts = List.copyOf(attempts);
            settingsNotCarried = List.copyOf(settingsNotCarried);
        }
    }

    public SummaryResult withFailover(Failover record) {
        return new SummaryResult(text, source, model, usage, latencyMillis, record);
    }
}
