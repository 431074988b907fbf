package dev.compactor.metering;

import dev.compactor.conversation.CompactionReport;
import dev.compactor.conversation.MonthlyUsage;
import dev.compactor.conversation.UsageRecord;
import java.util.LinkedHashMap;
import java.util.Map;

/** How usage is shown to the caller: headers on a compaction's answer, and the body of {@code GET /v1/usage}. */
public final class UsageViews {
    private UsageViews() {}

    /**
     * The summary call's usage as response headers, so a client sees what the call cost without
     * reading beyond Letta's body.
     *
     * @param usage a compaction's report of its summary call
     */
    public static Map<String, String> headers(CompactionReport.Usage usage) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Usage-Model", usage.model());
        headers.put("Usage-Input-Tokens", String.valueOf(usage.inputTokens()));
        headers.put("Usage-Output-Tokens", String.valueOf(usage.outputTokens()));
        headers.put("Usage-Cache-Read-Tokens", String.valueOf(usage.cacheReadTokens()));
        headers.put("Usage-Cache-Write-Tokens", String.valueOf(usage.cacheWriteTokens()));
        headers.put("Usage-Model-Latency-Ms", String.valueOf(usage.latencyMs()));
        if (usage.costUsd() != null) {
            headers.put("Usage-Cost-Usd", String.valueOf(usage.costUsd()));
        }
        return headers;
    }

    /** A month of a tenant's usage: its totals and a page of its calls. */
    public static Map<String, Object> month(MonthlyUsage usage) {
        MonthlyUsage.Totals t = usage.totals();
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("calls", t.calls());
        totals.put("succeeded", t.succeeded());
        totals.put("failed", t.failed());
        totals.put("input_tokens", t.inputTokens());
        totals.put("output_tokens", t.outputTokens());
        totals.put("cache_read_tokens", t.cacheReadTokens());
        totals.put("cache_write_tokens", t.cacheWriteTokens());
        totals.put("latency_ms", t.latencyMs());
        totals.put("cost_usd", t.costUsd());
        totals.put("unpriced_calls", t.unpricedCalls());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("tenant", usage.tenant());
        out.put("month", usage.month());
        out.put("totals", totals);
        out.put("calls", usage.records().stream().map(UsageViews::record).toList());
        out.put("next_cursor", usage.nextCursor());
        return out;
    }

    private static Map<String, Object> record(UsageRecord r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("call_id", r.callId());
        out.put("started_at", r.startedAtText());
        out.put("conversation_id", r.conversationId());
        out.put("job_id", r.jobId());
        out.put("mode", r.mode());
        out.put("provider", r.provider());
        out.put("model", r.model());
        out.put("input_tokens", r.inputTokens());
        out.put("output_tokens", r.outputTokens());
        out.put("cache_read_tokens", r.cacheReadTokens());
        out.put("cache_write_tokens", r.cacheWriteTokens());
        out.put("latency_ms", r.latencyMs());
        out.put("cost_usd", r.costUsd());
        out.put("outcome", r.outcome());
        out.put("status", r.status());
        out.put("error", r.error());
        if (r.usageRejected() != null) {
            out.put("usage_rejected", r.usageRejected());
        }
        out.put("cursor", r.cursor());
        return out;
    }
}
