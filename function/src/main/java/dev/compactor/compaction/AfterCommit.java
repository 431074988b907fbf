package dev.compactor.compaction;

/**
 * Work that follows a committed compaction, outside its transaction so that the commit's cost
 * stays fixed: releasing the history it evicted to retention. A failure here leaves the
 * compaction committed; the next compaction's run picks up what this one left.
 */
@FunctionalInterface
public interface AfterCommit {
    /** For a deployment that keeps history for good. */
    AfterCommit NOTHING = (tenant, conversationId) -> { };

    void committed(String tenant, String conversationId);
}
