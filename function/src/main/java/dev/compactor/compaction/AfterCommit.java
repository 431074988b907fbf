package dev.compactor.compaction;

import dev.compactor.conversation.Agent;

/**
 * Work that follows a committed compaction, outside its transaction so that the commit's cost
 * stays fixed: releasing the history it evicted to retention. A failure here leaves the
 * compaction committed; the next compaction's run picks up what this one left.
 */
@FunctionalInterface
public interface AfterCommit {
    /** For a deployment that keeps history for good. */
    AfterCommit NOTHING = (tenant, conversationId, agent) -> { };

    /** @param agent the conversation's agent as the compaction saw it (its retention decides what follows) */
    void committed(String tenant, String conversationId, Agent agent);
}
