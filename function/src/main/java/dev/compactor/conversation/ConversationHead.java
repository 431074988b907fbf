package dev.compactor.conversation;

import java.time.Instant;

/**
 * The conversation's head item: where its in-context window starts and which summary (if any)
 * precedes it. The context is always {@code system + summary + messages[contextStartSeq, nextSeq)}.
 *
 * @param compactionGen bumped by every committed compaction; commits are conditional on it
 * @param summaryGen generation of the summary currently in context, 0 when there is none
 * @param contextTokens running token estimate of the in-context messages
 * @param contextWindow the agent's context window the thresholds were taken from; 0 for heads
 *     written before the head carried it
 * @param dueThreshold context estimate at which the conversation is due for scheduled compaction
 * @param idleThreshold context estimate above which it is due once idle; 0 when the idle rule is off
 * @param dueState its entry in the scheduled-compaction index
 * @param updatedAt last append, compaction or revert
 * @param fields what the client set on the conversation itself
 * @param lease the compaction running on it, as it last claimed the head; null when none did since
 *     the last commit (a lease of an older generation, or one run out, holds nothing)
 */
public record ConversationHead(
        String id,
        String agentId,
        long nextSeq,
        long contextStartSeq,
        long compactionGen,
        long summaryGen,
        long contextTokens,
        long contextWindow,
        long dueThreshold,
        long idleThreshold,
        DueState dueState,
        Instant createdAt,
        Instant updatedAt,
        ConversationFields fields,
        CompactionLease lease) {

    /** A head no compaction has claimed. */
    public ConversationHead(String id, String agentId, long nextSeq, long contextStartSeq, long compactionGen, long summaryGen,
                            long contextTokens, long contextWindow, long dueThreshold, long idleThreshold, DueState dueState,
                            Instant createdAt, Instant updatedAt, ConversationFields fields) {
        this(id, agentId, nextSeq, contextStartSeq, compactionGen, summaryGen, contextTokens, contextWindow, dueThreshold,
                idleThreshold, dueState, createdAt, updatedAt, fields, null);
    }

    /** At or over the threshold that makes it due for compaction (never, when there is none). */
    public boolean due() {
        return dueThreshold > 0 && contextTokens >= dueThreshold;
    }
}
