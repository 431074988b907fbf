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
 */
public record Commit(long expectedGeneration, SummaryRecord summary, long keptFromSeq, long contextTokenDelta,
                     long contextTokens, Agent agent, IdempotencyCompletion idempotency) {

    public Commit(long expectedGeneration, SummaryRecord summary, long keptFromSeq, long contextTokenDelta, long contextTokens,
                  Agent agent) {
        this(expectedGeneration, summary, keptFromSeq, contextTokenDelta, contextTokens, agent, null);
    }

    /** The same commit, also completing an Idempotency-Key claim with the response to replay. */
    public Commit completing(IdempotencyClaim claim, String responseJson) {
        return new Commit(expectedGeneration, summary, keptFromSeq, contextTokenDelta, contextTokens, agent,
                new IdempotencyCompletion(claim, responseJson));
    }

    /** A claimed Idempotency-Key and the response body its replays return. */
    public record IdempotencyCompletion(IdempotencyClaim claim, String responseJson) {}
}
