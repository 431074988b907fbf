package dev.compactor.conversation;

/** The compaction is no longer part of the current context (a revert already undid it), or retention released what undoing it needs. */
public final class NotRevertibleException extends RuntimeException {
    public NotRevertibleException(long generation, long currentSummaryGeneration) {
        super("Compaction generation " + generation + " is not part of the current context (its summary lineage starts at generation "
                + currentSummaryGeneration + "); it was already reverted.");
    }

    private NotRevertibleException(String message) {
        super(message);
    }

    /** The revert would bring back messages already released to retention (expiring, or expired). */
    public static NotRevertibleException released(long generation, long retentionFloorSeq) {
        return new NotRevertibleException("Compaction generation " + generation + " can no longer be reverted: it would bring back "
                + "messages before sequence " + retentionFloorSeq + ", which history retention has released to expire.");
    }
}
