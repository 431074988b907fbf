package dev.compactor.conversation;

/** No such agent for this tenant. */
public final class AgentNotFoundException extends RuntimeException {
    public AgentNotFoundException(String agentId) {
        super("Agent with ID " + agentId + " not found");
    }
}
