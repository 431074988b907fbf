package dev.compactor.conversation;

import java.time.Instant;
import java.util.Map;

/**
 * An agent as far as compaction cares: its model, context window, system prompt, timezone and
 * stored compaction settings (kept as the JSON the client sent, so this package needs no
 * knowledge of the settings' schema).
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
        Map<String, Object> compactionSettings,
        Instant createdAt,
        Double compactionThreshold) {

    public Agent {
        if (compactionThreshold != null && !(compactionThreshold > 0 && compactionThreshold <= 1)) {
            throw new IllegalArgumentException("compaction threshold must be in (0, 1], got " + compactionThreshold);
        }
    }

    /** An agent with the deployment's compaction threshold. */
    public Agent(String id, String name, String model, int contextWindow, String system, String timezone,
                 Map<String, Object> compactionSettings, Instant createdAt) {
        this(id, name, model, contextWindow, system, timezone, compactionSettings, createdAt, null);
    }
}
