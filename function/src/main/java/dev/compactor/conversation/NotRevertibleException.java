package dev.compactor.conversation;

/** The compaction is no longer part of the current context (a revert already undid it). */
public final class NotRevertibleException extends RuntimeException {
    public NotRevertibleException(long generation, long currentSummaryGeneration) {
        super("Compaction generation " + generation + " is not part of the current context (its summary lineage starts at generation "
                + currentSummaryGeneration + "); it was already reverted.");
    }
}
