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

    private final Metrics metrics;

    public CompactionMetrics(Metrics metrics) {
        this.metrics = metrics;
    }

    /**
     * @param facts the call's ids, outcome, mode and duration, as its log line has them
     * @param report what the compaction reported, or null when it committed none
     */
    public void record(CompactionFacts facts, CompactionReport report) {
        CompactionReport.Usage usage = report == null ? null : report.usage();
        List<Metrics.Metric> values = new ArrayList<>();
        add(values, "Latency", facts.durationMs(), "Milliseconds");
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
        add(values, "Failures", "failed".equals(facts.outcome()) ? 1 : 0, "Count");
        add(values, "CostUsd", usage == null ? null : usage.costUsd(), "None");
        Map<String, Object> properties = new LinkedHashMap<>();
        property(properties, "request_id", facts.requestId());
        property(properties, "tenant", facts.tenant());
        property(properties, "conversation_id", facts.conversationId());
        property(properties, "job_id", facts.jobId());
        property(properties, "status", facts.status());
        property(properties, "outcome", facts.outcome());
        property(properties, "model", facts.model());
        metrics.emit(Map.of("Service", SERVICE, "Mode", facts.mode() == null ? "default" : facts.mode()), DIMENSION_SETS, values,
                properties);
    }

    private static void property(Map<String, Object> properties, String name, Object value) {
        if (value != null) {
            properties.put(name, value);
        }
    }

    private static void add(List<Metrics.Metric> values, String name, Object value, String unit) {
        if (value instanceof Number n) {
            values.add(new Metrics.Metric(name, n, unit));
        }
    }
}
