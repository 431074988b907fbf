package dev.compactor.compaction;

/** The compaction would not reduce the number of messages; answered with Letta's 400 before any model call. */
public final class NothingToCompactException extends RuntimeException {
    public static final String LETTA_MESSAGE = "Summarization failed to reduce the number of messages. You may not have "
            + "enough messages to compact or need to use a different CompactionSettings (e.g. using `all` mode).";

    public NothingToCompactException() {
        super(LETTA_MESSAGE);
    }
}
