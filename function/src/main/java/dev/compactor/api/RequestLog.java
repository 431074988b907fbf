package dev.compactor.api;

import dev.compactor.conversation.CompactionReport;
import dev.compactor.metering.CompactionFacts;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a route tells about its request for the request's one log line and its metrics:
 * identifiers, outcomes and measurements only, never message text, prompts or keys. What the
 * metrics read has a field of its own; other facts of the line are free-form ({@link #put}).
 */
final class RequestLog {
    private String conversationId;
    private String jobId;
    private String outcome;
    private String mode;
    private String model;
    private final Map<String, Object> facts = new LinkedHashMap<>();
    private boolean compaction;
    private CompactionReport report;

    RequestLog conversation(String id) {
        conversationId = id;
        return this;
    }

    RequestLog job(String id) {
        jobId = id;
        return this;
    }

    RequestLog outcome(String value) {
        outcome = value;
        return this;
    }

    String outcome() {
        return outcome;
    }

    /** The mode asked for, until a committed compaction names the mode it used. */
    RequestLog mode(String value) {
        mode = value;
        return this;
    }

    /** Sets a fact the metrics do not read; null values are left out. */
    RequestLog put(String name, Object value) {
        if (value != null) {
            facts.put(name, value);
        }
        return this;
    }

    /** The request ran a compaction (not a dry run, a replay or a job submission): it has compaction metrics. */
    void markCompaction() {
        compaction = true;
    }

    /** The compaction committed: its report is what the metrics (and the line's figures) read. */
    RequestLog compacted(CompactionReport committed) {
        report = committed;
        mode = committed.modeUsed();
        model = committed.model();
        return this;
    }

    /** The committed compaction's report, or null when none was committed. */
    CompactionReport report() {
        return report;
    }

    boolean compaction() {
        return compaction;
    }

    /** What the metrics read, completed with what the caller measured. */
    CompactionFacts facts(String requestId, String tenant, int status, long durationMs) {
        return new CompactionFacts(requestId, tenant, conversationId, jobId, status, outcome, model, mode, durationMs);
    }

    /** The line's fields after the caller's own, in a stable order (unset ones as nulls, which the line leaves out). */
    void appendTo(Map<String, Object> line) {
        line.put("conversation_id", conversationId);
        line.put("job_id", jobId);
        line.put("outcome", outcome);
        line.put("mode", mode);
        line.put("model", model);
        if (report != null) {
            CompactionReport.Usage used = report.usage();
            line.put("input_tokens", used.inputTokens());
            line.put("output_tokens", used.outputTokens());
            line.put("model_latency_ms", used.latencyMs());
            line.put("cost_usd", used.costUsd());
            line.put("tokens_before", report.tokensBefore());
            line.put("tokens_after", report.tokensAfter());
            line.put("fallbacks", report.fallbackCount());
        }
        line.putAll(facts);
    }
}
