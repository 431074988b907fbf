package dev.compactor.conversation;

/**
 * When conversations enter the due index, as shares of their agent's context window: at
 * {@code dueFraction} (or the agent's own {@link Agent#compactionThreshold()}) a conversation is
 * due; at {@code idleFraction} (0: off) it is due once it has been quiet for discovery's quiet
 * time. A conversation keeps the thresholds its head was given at creation or at its latest
 * compaction, so appends never read the agent.
 */
public record DuePolicy(double dueFraction, double idleFraction) {
    public DuePolicy {
        if (!(dueFraction > 0 && dueFraction <= 1)) {
            throw new IllegalArgumentException("the due threshold must be in (0, 1], got " + dueFraction);
        }
        if (!(idleFraction >= 0 && idleFraction < 1)) {
            throw new IllegalArgumentException("the idle threshold must be in [0, 1), got " + idleFraction);
        }
    }

    public long dueThreshold(Agent agent) {
        double fraction = agent.compactionThreshold() != null ? agent.compactionThreshold() : dueFraction;
        return (long) Math.floor(agent.contextWindow() * fraction);
    }

    /** 0 when the idle rule is off, or when it would not be below the agent's due threshold. */
    public long idleThreshold(Agent agent) {
        long idle = (long) Math.floor(agent.contextWindow() * idleFraction);
        return idle > 0 && idle < dueThreshold(agent) ? idle : 0;
    }
}
