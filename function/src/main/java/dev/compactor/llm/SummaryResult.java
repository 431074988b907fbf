package dev.compactor.llm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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

    /**
     * Usage of the call that produced the summary: tokens, model, provider, latency and estimated
     * cost; with {@code usage_rejected} (and no tokens or cost) when the provider's figures could not be true.
     */
    public Map<String, Object> usageDetails() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("provider", model.provider());
        out.put("model", model.toString());
        out.put("input_tokens", usage.inputTokens());
        out.put("output_tokens", usage.outputTokens());
        out.put("cache_read_tokens", usage.cacheReadTokens());
        out.put("cache_write_tokens", usage.cacheWriteTokens());
        out.put("latency_ms", latencyMillis);
        out.put("cost_usd", Prices.estimateUsd(model, usage));
        if (usage.rejected() != null) {
            out.put("usage_rejected", usage.rejected());
        }
        return out;
    }

    /** The failover record ({@code attempts}, {@code settings_not_carried}), or null when none happened. */
    public Map<String, Object> failoverDetails() {
        if (failover == null) {
            return null;
        }
        List<Map<String, Object>> attempts = new ArrayList<>(failover.attempts().size());
        for (FailedAttempt a : failover.attempts()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("model", a.model().toString());
            entry.put("error", a.kind().name().toLowerCase(Locale.ROOT));
            entry.put("message", a.message());
            attempts.add(entry);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("attempts", attempts);
        out.put("settings_not_carried", failover.settingsNotCarried());
        return out;
    }
}
