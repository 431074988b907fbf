package dev.compactor.compaction;

import dev.compactor.conversation.Commit;
import dev.compactor.conversation.CompactionReport;
import dev.compactor.conversation.UsageRecord;
import dev.compactor.llm.Prices;
import dev.compactor.llm.SummaryResult;
import dev.compactor.llm.TokenUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** What a compaction's commit records about the model call and the API call it answers. */
final class CallRecords {
    private CallRecords() {
    }

    static CompactionReport.Usage usage(SummaryResult result) {
        TokenUsage tokens = result.usage();
        return new CompactionReport.Usage(result.model().provider(), result.model().toString(), tokens.inputTokens(),
                tokens.outputTokens(), tokens.cacheReadTokens(), tokens.cacheWriteTokens(), result.latencyMillis(),
                Prices.estimateUsd(result.model(), tokens), tokens.rejected());
    }

    static CompactionReport.Failover failover(SummaryResult.Failover failover) {
        if (failover == null) {
            return null;
        }
        return new CompactionReport.Failover(failover.attempts().stream()
                .map(a -> new CompactionReport.Attempt(a.model().toString(), a.kind().name().toLowerCase(Locale.ROOT), a.message()))
                .toList(), failover.settingsNotCarried());
    }

    /**
     * The call's usage record.
     *
     * @param modelCalled false when the call answered with a compaction it did not run (another
     *     paid for the model): it is metered as a success that used nothing
     */
    static UsageRecord usage(String tenant, CompactionService.Call call, String conversationId, CompactionReport report, Instant now,
                             boolean modelCalled) {
        CompactionReport.Usage used = report.usage();
        String jobId = call.job() == null ? null : call.job().id();
        long latency = Duration.between(call.startedAt(), now).toMillis();
        if (!modelCalled) {
            return new UsageRecord(tenant, call.id(), call.startedAt(), conversationId, jobId, report.modeUsed(),
                    used == null ? null : used.provider(), report.model(), 0, 0, 0, 0, latency, 0.0, 200, null, null);
        }
        return new UsageRecord(tenant, call.id(), call.startedAt(), conversationId, jobId, report.modeUsed(), used.provider(),
                used.model(), used.inputTokens(), used.outputTokens(), used.cacheReadTokens(), used.cacheWriteTokens(), latency,
                used.costUsd(), 200, null, used.usageRejected());
    }

    /** {@code commit} also completing the call's Idempotency-Key, job and SDK answer with {@code result}, and metering it. */
    static Commit answering(Commit commit, String tenant, CompactionService.Call call, CompactionService.Result result, UsageRecord usage) {
        String json = call.responseJson().apply(result);
        Commit answering = commit;
        if (call.claim() != null) {
            answering = answering.completing(call.claim(), json);
        }
        if (call.job() != null) {
            answering = answering.finishing(new Commit.JobResult(tenant, call.job().id(), call.job().attempt(), json));
        }
        if (call.sdkFingerprint() != null) {
            answering = answering.answering(new Commit.SdkCall(tenant, call.sdkFingerprint(), json));
        }
        return answering.metered(usage);
    }
}
