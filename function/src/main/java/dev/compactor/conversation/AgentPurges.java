package dev.compactor.conversation;

import java.util.List;
import java.util.Optional;

/**
 * Purging an agent: every conversation of the agent (its default one, listed, hidden and
 * soft-deleted ones) is purged as {@link ConversationPurges} purges one, then the agent item goes.
 * The agent is tombstoned first, so from then on it reads as not found and no conversation can be
 * created or forked for it; the tombstone is where an interrupted purge resumes.
 */
public interface AgentPurges {
    /**
     * Tombstones the agent (again, when its purge already began). An agent soft-deleted earlier
     * (its item gone, its conversations left) can still be purged.
     *
     * @return the purge as it stands; {@link AgentPurgeStatus#done()} when it had already finished
     * @throws AgentNotFoundException when there is neither the agent, nor a conversation of it, nor a recent purge of it
     */
    AgentPurgeStatus begin(String tenant, String agentId);

    /**
     * The ids of the agent's conversations not yet purged, read consistently: no conversation
     * created before the tombstone is missed.
     */
    List<String> conversations(String tenant, String agentId);

    /** Deletes the agent item and closes the receipt; call once {@link #conversations} is empty. */
    AgentPurgeStatus finish(String tenant, String agentId);

    /** The purge of this agent, running or finished within {@link ConversationPurges#RECEIPT_RETENTION}. */
    Optional<AgentPurgeStatus> status(String tenant, String agentId);
}
