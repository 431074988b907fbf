package dev.compactor.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.compactor.conversation.Agent;
import dev.compactor.conversation.AgentStore;
import dev.compactor.conversation.ConversationHead;

/**
 * Where a conversation's context stands against its compaction threshold, as its head records it:
 * the token estimate, the context window the threshold was taken from, the threshold itself (the
 * estimate at which the conversation is due; 0 when it never is) and whether it is reached.
 */
@JsonPropertyOrder({"context_token_estimate", "context_window", "due_threshold", "due"})
record ContextFigures(
        @JsonProperty("context_token_estimate") long contextTokenEstimate,
        @JsonProperty("context_window") long contextWindow,
        @JsonProperty("due_threshold") long dueThreshold,
        boolean due) {

    /**
     * The head's figures. Heads written before they recorded the context window get the agent's
     * (one read, only for those).
     */
    static ContextFigures of(ConversationHead head, AgentStore agents, String tenant) {
        long window = head.contextWindow() > 0 ? head.contextWindow()
                : agents.findAgent(tenant, head.agentId()).map(Agent::contextWindow).orElse(0);
        return new ContextFigures(head.contextTokens(), window, head.dueThreshold(), head.due());
    }
}
