package dev.compactor.conversation;

/**
 * A compaction to commit: the new summary, where the kept tail starts, and the generation it was
 * planned against. It commits only if no other compaction committed since that generation.
 *
 * @param contextTokenDelta change of the context's token estimate (new summary minus the old
 *     summary and every evicted message); applied as an increment so appends made meanwhile keep
 *     their share
 * @param stillDue whether the conversation stays in the scheduled-compaction index afterwards
 * @param idempotency the Idempotency-Key request this compaction answers, completed in the same
 *     transaction; null without a key
 */
public record Commit(long expectedGeneration, SummaryRecord summary, long keptFromSeq, long contextTokenDelta,
                     boolean stillDue, IdempotencyCompletion idempotency) {

    public Commit(long expectedGeneration, SummaryRecord summary, long keptFromSeq, long contextTokenDelta, boolean stillDue) {
        this(expectedGeneration, summary, keptFromSeq, contextTokenDelta, stillDue, null);
    }

    /** The same commit, also completing an Idempotency-Key claim with the response to replay. */
    public Commit completing(IdempotencyClaim claim, String responseJson) {
        return new Commit(expectedGeneration, summary, keptFromSeq, contextTokenDelta, stillDue,
                new IdempotencyCompletion(claim, responseJson));
    }

    /** A claimed Idempotency-Key and the response body its replays return. */
    public record IdempotencyCompletion(IdempotencyClaim claim, String responseJson) {}
}
