package dev.compactor.conversation;

/** The conversation has no compaction of that generation. */
public final class CompactionNotFoundException extends RuntimeException {
    public CompactionNotFoundException(String conversationId, long generation) {
        super("Compaction generation " + generation + " of conversation " + conversationId + " not found");
    }
}
