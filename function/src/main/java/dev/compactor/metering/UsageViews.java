package dev.compactor.metering;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.compactor.conversation.CompactionReport;
import dev.compactor.conversation.MonthlyUsage;
import dev.compactor.conversation.UsageRecord;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
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
    public static Month month(MonthlyUsage usage) {
        MonthlyUsage.Totals t = usage.totals();
        return new Month(usage.tenant(), usage.month(), new Totals(t.calls(), t.succeeded(), t.failed(), t.inputTokens(),
                t.outputTokens(), t.cacheReadTokens(), t.cacheWriteTokens(), t.latencyMs(), t.costUsd(), t.unpricedCalls()),
                usage.records().stream().map(UsageViews::call).toList(), usage.nextCursor());
    }

    /** The body of {@code GET /v1/usage}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Month(String tenant, String month, Totals totals, List<Call> calls, String nextCursor) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Totals(long calls, long succeeded, long failed, long inputTokens, long outputTokens, long cacheReadTokens,
                         long cacheWriteTokens, long latencyMs, BigDecimal costUsd, long unpricedCalls) {}

    /** @param usageRejected why the provider's figures were not billed; left out when they were */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Call(String callId, String startedAt, String conversationId, String jobId, String mode, String provider,
                       String model, long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens,
                       long latencyMs, Double costUsd, String outcome, int status, String error,
                       @JsonInclude(JsonInclude.Include.NON_NULL) String usageRejected, String cursor) {}

    private static Call call(UsageRecord r) {
        return new Call(r.callId(), r.startedAtText(), r.conversationId(), r.jobId(), r.mode(), r.provider(), r.model(),
                r.inputTokens(), r.outputTokens(), r.cacheReadTokens(), r.cacheWriteTokens(), r.latencyMs(), r.costUsd(),
                r.outcome(), r.status(), r.error(), r.usageRejected(), r.cursor());
    }
}
