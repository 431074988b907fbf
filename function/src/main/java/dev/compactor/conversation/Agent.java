package dev.compactor.conversation;

import java.time.Instant;
import java.util.Map;

/**
 * An agent as far as compaction cares: its model, context window, system prompt, timezone and
 * stored compaction settings (kept as the JSON the client sent, so this package needs no
 * knowledge of the settings' schema).
 */
public record Agent(
        String id,
        String name,
        String model,
        int contextWindow,
        String system,
        String timezone,
        Map<String, Object> compactionSettings,
        Instant createdAt) {}
