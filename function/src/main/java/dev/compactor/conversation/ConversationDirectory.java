package dev.compactor.conversation;

import java.util.List;

/**
 * Conversations as a client manages them: created with their own fields, listed, changed,
 * forked and soft-deleted. Every call is scoped to one tenant; a soft-deleted conversation is not
 * found by any of them, nor by any {@link MessageStore} call.
 */
public interface ConversationDirectory {
    /**
     * Creates a conversation for the agent (which must still exist when it is stored) whose first
     * message is the agent's system prompt.
     *
     * @param hidden left out of every listing
     * @throws AgentNotFoundException when the agent was deleted meanwhile
     */
    ConversationHead createConversation(String tenant, Agent agent, String conversationId, ConversationFields fields, boolean hidden);

    List<ConversationHead> listConversations(String tenant, ConversationQuery query);

    /**
     * Replaces the conversation's fields; its due thresholds follow {@code effectiveAgent} (the
     * agent with the new fields laid over it).
     *
     * @throws ConversationNotFoundException when there is no such (live) conversation
     */
    ConversationHead updateConversation(String tenant, String conversationId, ConversationFields fields, Agent effectiveAgent);

    /**
     * Letta's soft delete: the conversation leaves every listing and the due index, and is not
     * found afterwards; its items stay (a purge removes them).
     *
     * @throws ConversationNotFoundException when there is no such (live) conversation
     */
    void deleteConversation(String tenant, String conversationId);

    /**
     * A new conversation of {@code agent} whose context is the agent's current system prompt,
     * then {@code source}'s summary when {@code keep} includes it, then the messages of
     * {@code keep} (with their ids, as Letta shares them between the two).
     *
     * @param keep the source's in-context messages to carry over, in order (its system message is not carried)
     */
    ConversationHead fork(String tenant, Snapshot source, List<Message> keep, Agent agent, String conversationId,
                          ConversationFields fields, boolean hidden);
}
