package dev.compactor.conversation;

import java.time.Instant;

/**
 * An agent as far as compaction cares: its model, context window, system prompt, timezone and
 * stored compaction settings (complete, as Letta stores them; null only for agents stored before
 * settings were kept at creation).
 *
 * @param compactionThreshold share of the context window, in (0, 1], at which the agent's
 *     conversations are due for scheduled compaction; null for the deployment's
 *     ({@link DuePolicy#dueFraction()}). Conversations take it up when created and at each compaction.
 * @param messageRetentionDays days, in [1, {@link #MAX_RETENTION_DAYS}], that its conversations'
 *     evicted history is kept once released ({@link HistoryRetention}); null for the deployment's
 *     ({@link RetentionPolicy})
 */
public record Agent(
        String id,
        String name,
        String model,
        int contextWindow,
        String system,
        String timezone,
        AgentCompactionSettings compactionSettings,
        Instant createdAt,
        Double compactionThreshold,
        Integer messageRetentionDays) {

    /** A hundred years: beyond it a retention is indistinguishable from keeping history for good. */
    public static final int MAX_RETENTION_DAYS = 36_500;

    public Agent {
        if (compactionThreshold != null && !(compactionThreshold > 0 && compactionThreshold <= 1)) {
            throw new IllegalArgumentException("compaction threshold must be in (0, 1], got " + compactionThreshold);
        }
        if (messageRetentionDays != null && (messageRetentionDays < 1 || messageRetentionDays > MAX_RETENTION_DAYS)) {
            throw new IllegalArgumentException("message retention must be in [1, " + MAX_RETENTION_DAYS + "] days, got "
                    + messageRetentionDays);
        }
    }

    /** An agent with the deployment's compaction threshold and history retention. */
    public Agent(String id, String name, String model, int contextWindow, String system, String timezone,
                 AgentCompactionSettings compactionSettings, Instant createdAt) {
        this(id, name, model, contextWindow, system, timezone, compactionSettings, createdAt, null, null);
    }
}
