package dev.compactor.conversation;

import java.util.List;
import java.util.Optional;

/** Where agents and conversations live. Every call is scoped to one tenant. */
public interface ConversationStore {

    /** Stores a new agent and its default conversation (whose id is the agent's id). */
    Agent createAgent(String tenant, Agent agent);

    Optional<Agent> findAgent(String tenant, String agentId);

    /** Creates a conversation for the agent whose first message is the agent's system prompt. */
    ConversationHead createConversation(String tenant, Agent agent, String conversationId);

    Optional<ConversationHead> findConversation(String tenant, String conversationId);

    /**
     * Appends messages all-or-nothing; returns them with their ids, sequence numbers and creation
     * times. Never conflicts with a compaction in flight.
     */
    List<Message> append(String tenant, String conversationId, List<Message> messages);

    /** The conversation's current context. */
    Snapshot snapshot(String tenant, String conversationId);

    /**
     * Commits a compaction atomically.
     *
     * @throws ConcurrentCompactionException when another compaction committed since the snapshot
     */
    void commit(String tenant, String conversationId, Commit commit);

    /** Conversations whose context estimate passed their threshold, oldest-first per shard. */
    List<DueConversation> findDue(int limit);
}
