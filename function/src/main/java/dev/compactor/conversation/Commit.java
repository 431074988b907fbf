package dev.compactor.conversation;

/**
 * A compaction to commit: the new summary, where the kept tail starts, and the generation it was
 * planned against. It commits only if no other compaction committed since that generation.
 *
 * @param contextTokenDelta change of the context's token estimate (new summary minus the old
 *     summary and every evicted message); applied as an increment so appends made meanwhile keep
 *     their share
 * @param contextTokens the context's token estimate after the commit, as planned (appends made
 *     meanwhile are not in it); with the agent's thresholds it decides the due-index entry
 * @param agent the conversation's agent, whose current thresholds the head takes on
 * @param idempotency the Idempotency-Key request this compaction answers, completed in the same
 *     transaction; null without a key
 * @param job the asynchronous job this compaction finishes, in the same transaction; null for a request
 * @param usage the call's usage record, written in the same transaction; null for an unmetered compaction
 * @param sdkCall the SDK call this compaction answers, whose resend should replay it; null for none
 */
public record Commit(long expectedGeneration, SummaryRecord summary, long keptFromSeq, long contextTokenDelta,
                     long contextTokens, Agent agent, IdempotencyCompletion idempotency, JobResult job, UsageRecord usage,
                     SdkCall sdkCall) {

    public Commit(long expectedGeneration, SummaryRecord summary, long keptFromSeq, long contextTokenDelta, long contextTokens,
                  Agent agent) {
        this(expectedGeneration, summary, keptFromSeq, contextTokenDelta, contextTokens, agent, null, null, null, null);
    }

    /** The same commit, also completing an Idempotency-Key claim with the response to replay. */
    public Commit completing(IdempotencyClaim claim, String responseJson) {
        return new Commit(expectedGeneration, summary, keptFromSeq, contextTokenDelta, contextTokens, agent,
                new IdempotencyCompletion(claim, responseJson), job, usage, sdkCall);
    }

    /** The same commit, also finishing an asynchronous job with its result. */
    public Commit finishing(JobResult result) {
        return new Commit(expectedGeneration, summary, keptFromSeq, contextTokenDelta, contextTokens, agent, idempotency, result,
                usage, sdkCall);
    }

    /** The same commit, also metering the call. */
    public Commit metered(UsageRecord record) {
        return new Commit(expectedGeneration, summary, keptFromSeq, contextTokenDelta, contextTokens, agent, idempotency, job,
                record, sdkCall);
    }

    /** The same commit, also leaving the answer for a resend of the SDK call it answers. */
    public Commit answering(SdkCall call) {
        return new Commit(expectedGeneration, summary, keptFromSeq, contextTokenDelta, contextTokens, agent, idempotency, job,
                usage, call);
    }

    /**
     * An SDK call without an Idempotency-Key (identified by its request's fingerprint) and its
     * answer, kept briefly so that the SDK's resend of it replays instead of compacting again.
     */
    public record SdkCall(String tenant, String fingerprint, String responseJson) {}

    /** A claimed Idempotency-Key and the response body its replays return. */
    public record IdempotencyCompletion(IdempotencyClaim claim, String responseJson) {}

    /**
     * A job's success: the worker's attempt (which must still hold the job) and the response body.
     */
    public record JobResult(String tenant, String jobId, int attempt, String responseJson) {}
}
