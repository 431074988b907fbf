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
        Double compactionThreshold) {

    public Agent {
        if (compactionThreshold != null && !(compactionThreshold > 0 && compactionThreshold <= 1)) {
            throw new IllegalArgumentException("compaction threshold must be in (0, 1], got " + compactionThreshold);
        }
    }

    /** An agent with the deployment's compaction threshold. */
    public Agent(String id, String name, String model, int contextWindow, String system, String timezone,
                 AgentCompactionSettings compactionSettings, Instant createdAt) {
        this(id, name, model, contextWindow, system, timezone, compactionSettings, createdAt, null);
    }
}
