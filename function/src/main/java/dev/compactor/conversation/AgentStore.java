package dev.compactor.conversation;

import java.util.Optional;

/** Agents, each scoped to one tenant. */
public interface AgentStore {
    /** Stores a new agent and its default conversation (whose id is the agent's id). */
    Agent createAgent(String tenant, Agent agent);

    Optional<Agent> findAgent(String tenant, String agentId);

    /**
     * Replaces a stored agent's fields (its id and creation time stay).
     *
     * @throws AgentNotFoundException when there is no such agent
     */
    Agent updateAgent(String tenant, Agent agent);
}
