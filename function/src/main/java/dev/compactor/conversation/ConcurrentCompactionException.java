package dev.compactor.conversation;

/** Another compaction of the same conversation committed first; nothing was written. */
public final class ConcurrentCompactionException extends RuntimeException {
    public ConcurrentCompactionException(String conversationId) {
        super("Conversation " + conversationId + " was compacted by another request while this one ran; nothing was changed. "
                + "Read the conversation again and retry if it still needs compaction.");
    }
}
