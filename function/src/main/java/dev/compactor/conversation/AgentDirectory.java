package dev.compactor.conversation;

import java.util.List;

/** Agents listed and deleted, scoped to one tenant. */
public interface AgentDirectory {
    List<Agent> listAgents(String tenant, AgentQuery query);

    /**
     * Deletes the agent after soft-deleting its conversations (its default one included), as
     * Letta cascades; a crash part-way leaves the agent in place for a retry to finish.
     *
     * @throws AgentNotFoundException when there is no such agent
     */
    void deleteAgent(String tenant, String agentId);
}
