package dev.compactor.metering;

import dev.compactor.conversation.CompactionReport;
import dev.compactor.support.Metrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CloudWatch metrics of one compaction (a request or a job), from its log line and its
 * report: latency, model latency, tokens, compaction ratio, fallbacks, failures and cost. The
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

    /**
     * @param facts the call's log line: its ids, {@code outcome}, {@code mode} and {@code duration_ms}
     * @param report what the compaction reported, or null when it committed none
     */
    public void record(Map<String, Object> facts, CompactionReport report) {
        CompactionReport.Usage usage = report == null ? null : report.usage();
        List<Metrics.Metric> values = new ArrayList<>();
        add(values, "Latency", facts.get("duration_ms"), "Milliseconds");
        if (usage != null) {
            add(values, "ModelLatency", usage.latencyMs(), "Milliseconds");
            add(values, "InputTokens", usage.inputTokens(), "Count");
            add(values, "OutputTokens", usage.outputTokens(), "Count");
        }
        if (report != null && report.tokensBefore() > 0) {
            add(values, "CompactionRatio", (double) report.tokensAfter() / report.tokensBefore(), "None");
        }
        if (report != null) {
            add(values, "Fallbacks", report.fallbackCount(), "Count");
        }
        add(values, "Failures", "failed".equals(facts.get("outcome")) ? 1 : 0, "Count");
        add(values, "CostUsd", usage == null ? null : usage.costUsd(), "None");
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
