package dev.compactor.conversation;

import java.util.List;

/** The compactions a conversation has had, and undoing one. Every call is scoped to one tenant. */
public interface CompactionHistory {
    /** Summary records by generation, {@code limit} of them after generation {@code after} (0 for the start). */
    List<SummaryRecord> compactions(String tenant, String conversationId, long after, int limit, boolean ascending);

    /**
     * Restores the context as it was before compaction {@code generation}, guarded like a commit.
     * Messages appended since stay in context; nothing is deleted.
     *
     * @throws CompactionNotFoundException when there is no such generation
     * @throws NotRevertibleException when that compaction is no longer part of the context
     * @throws ConcurrentCompactionException when a compaction or revert committed meanwhile
     */
    Reverted revert(String tenant, String conversationId, long generation);
}
