package dev.compactor.compaction;

import dev.compactor.conversation.CompactionLease;

/**
 * A background compaction found another compaction of the same generation running (its lease on
 * the head is live) and did not call its model: that one commits the generation, or gives it up.
 */
public final class CompactionInProgressException extends RuntimeException {
    private final CompactionLease.Holder holder;

    public CompactionInProgressException(String conversationId, CompactionLease.Holder holder) {
        super("a " + holder.wire() + " compaction of conversation " + conversationId + " is running at this generation");
        this.holder = holder;
    }

    /** Who runs the compaction that kept this one out. */
    public CompactionLease.Holder holder() {
        return holder;
    }
}
