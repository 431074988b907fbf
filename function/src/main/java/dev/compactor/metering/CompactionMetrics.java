package dev.compactor.metering;

import dev.compactor.support.Metrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CloudWatch metrics of one compaction (a request or a job), from the facts its log line
 * holds: latency, model latency, tokens, compaction ratio, fallbacks, failures and cost. The
 * tenant, conversation and request ids travel as properties, not dimensions: every dimension
 * value is a metric of its own, billed monthly.
 */
public final class CompactionMetrics {
    static final String SERVICE = "compaction";
    private static final List<List<String>> DIMENSION_SETS = List.of(List.of("Service"), List.of("Service", "Mode"));
    private static final List<String> PROPERTIES = List.of("request_id", "tenant", "conversation_id", "job_id", "status", "outcome",
            "model");

    private final Metrics metrics;

    public CompactionMetrics(Metrics metrics) {
        this.metrics = metrics;
    }

    /** @param facts the call's log fields: {@code outcome}, {@code duration_ms}, and what a summary reported */
    public void record(Map<String, Object> facts) {
        List<Metrics.Metric> values = new ArrayList<>();
        add(values, "Latency", facts.get("duration_ms"), "Milliseconds");
        add(values, "ModelLatency", facts.get("model_latency_ms"), "Milliseconds");
        add(values, "InputTokens", facts.get("input_tokens"), "Count");
        add(values, "OutputTokens", facts.get("output_tokens"), "Count");
        if (facts.get("tokens_before") instanceof Number before && facts.get("tokens_after") instanceof Number after
                && before.longValue() > 0) {
            add(values, "CompactionRatio", after.doubleValue() / before.doubleValue(), "None");
        }
        add(values, "Fallbacks", facts.get("fallbacks"), "Count");
        add(values, "Failures", "failed".equals(facts.get("outcome")) ? 1 : 0, "Count");
        add(values, "CostUsd", facts.get("cost_usd"), "None");
        Map<String, Object> properties = new LinkedHashMap<>();
        for (String name : PROPERTIES) {
            if (facts.get(name) != null) {
                properties.put(name, facts.get(name));
            }
        }
        Object mode = facts.get("mode");
        metrics.emit(Map.of("Service", SERVICE, "Mode", mode == null ? "default" : String.valueOf(mode)), DIMENSION_SETS, values,
                properties);
    }

    private static void add(List<Metrics.Metric> values, String name, Object value, String unit) {
        if (value instanceof Number n) {
            values.add(new Metrics.Metric(name, n, unit));
        }
    }
}
