package dev.compactor.conversation;

/**
 * Where a conversation stands in the scheduled-compaction index (the sparse GSI {@code due}).
 * Each state is its own set of index partitions, so discovery reads exactly the entries it wants.
 */
public enum DueState {
    /** Not in the index: below every threshold, or waiting for its next append after a compaction. */
    NONE(null),
    /** Its context passed the agent's threshold. */
    DUE("DUE"),
    /** Above the lower idle threshold; due once it has been quiet long enough (its sort key starts with the time of its last activity). */
    IDLE("IDLE"),
    /** Discovery sent it to the queue (its sort key starts with when); the worker's commit takes it out. */
    QUEUED("QUEUED");

    /** Partitions per state: a conversation's is a hash of its keys, so no partition takes every due conversation's writes. */
    public static final int SHARDS = 16;

    private final String partitionPrefix;

    DueState(String partitionPrefix) {
        this.partitionPrefix = partitionPrefix;
    }

    /** The index state a context of {@code tokens} calls for under these thresholds (0: none). */
    public static DueState stateFor(long dueThreshold, long idleThreshold, long tokens) {
        if (dueThreshold > 0 && tokens >= dueThreshold) {
            return DUE;
        }
        return idleThreshold > 0 && tokens >= idleThreshold ? IDLE : NONE;
    }

    /** The due index partition key prefix of this state. */
    public String partitionPrefix() {
        return partitionPrefix;
    }

    public static DueState ofPartition(String duePk) {
        if (duePk == null) {
            return NONE;
        }
        String prefix = duePk.substring(0, duePk.indexOf('#'));
        for (DueState state : values()) {
            if (prefix.equals(state.partitionPrefix)) {
                return state;
            }
        }
        throw new IllegalStateException("unknown due-index partition " + duePk);
    }
}
