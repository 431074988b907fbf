package dev.compactor.api;

import dev.compactor.conversation.AgentNotFoundException;
import dev.compactor.conversation.AgentStore;
import dev.compactor.conversation.Ids;

/**
 * Letta's agent-direct mode: {@code default} with an {@code agent_id}, or (deprecated) an agent id
 * in the conversation's place, means the agent's default conversation, whose id is the agent's.
 */
final class AgentDirect {
    private AgentDirect() {}

    /**
     * The agent whose default conversation the path means, or null for a plain conversation id.
     *
     * @param agentId the request's {@code agent_id} (body or query), or null
     */
    static String agentId(String pathId, String agentId) {
        if ("default".equals(pathId) && agentId != null) {
            if (!Ids.isAgentId(agentId)) {
                throw ApiException.detail(400, "INVALID_ARGUMENT: Invalid agent ID format: " + agentId
                        + ". Expected format: 'agent-<uuid4>'");
            }
            return agentId;
        }
        return pathId.startsWith("agent-") ? pathId : null;
    }

    /**
     * The conversation the path means: the agent's default conversation in agent-direct mode (the
     * agent must exist: 404 "Agent with ID … not found" as Letta answers), else the path id.
     */
    static String conversationId(AgentStore store, String tenant, String pathId, String agentId) {
        String agent = agentId(pathId, agentId);
        if (agent == null) {
            return pathId;
        }
        if (store.findAgent(tenant, agent).isEmpty()) {
            throw new AgentNotFoundException(agent);
        }
        return agent;
    }
}
