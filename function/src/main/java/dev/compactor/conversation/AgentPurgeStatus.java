package dev.compactor.conversation;

import java.time.Instant;

/**
 * Where the purge of an agent stands: ids and times only. Each of its conversations has its own
 * receipt ({@link PurgeStatus}); this one closes when the agent item itself is deleted.
 *
 * @param status {@link PurgeStatus#PURGING} from the agent's tombstone until the agent item is deleted, then {@link PurgeStatus#PURGED}
 * @param finishedAt when the agent item was deleted, or null while purging
 */
public record AgentPurgeStatus(String tenant, String agentId, String status, Instant startedAt, Instant finishedAt) {
    public boolean done() {
        return PurgeStatus.PURGED.equals(status);
    }
}
