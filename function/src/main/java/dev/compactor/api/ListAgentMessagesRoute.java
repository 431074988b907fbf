package dev.compactor.api;

import dev.compactor.conversation.AgentNotFoundException;
import dev.compactor.conversation.AgentStore;
import dev.compactor.conversation.ConversationHead;
import dev.compactor.conversation.Ids;
import dev.compactor.conversation.MessageStore;
import dev.compactor.input.Fields;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /v1/agents/{agent_id}/messages} (the SDK's {@code agents.messages.list}): Letta's
 * list of an agent's messages, with the parameters of {@link MessageListQuery}, rendered as the
 * conversation's list renders them. {@code conversation_id} chooses the conversation:
 * {@code default} (what Letta's client sends) or absent means the agent's default conversation;
 * one of the agent's {@code conv-…} ids that conversation; any other value matches no message (an
 * empty list), as Letta's filter does. {@code group_id} and Letta's deprecated assistant-message
 * parameters are accepted and ignored.
 */
final class ListAgentMessagesRoute implements Route {
    private final AgentStore agents;
    private final MessageStore conversations;

    ListAgentMessagesRoute(AgentStore agents, MessageStore conversations) {
        this.agents = agents;
        this.conversations = conversations;
    }

    @Override
    public ApiResponse handle(ApiRequest request, RequestContext context) {
        String agentId = PathIds.agentId(request);
        Fields fields = new Fields();
        QueryParams query = new QueryParams(request, fields);
        String conversationId = query.string("conversation_id");
        query.checkBool("use_assistant_message");
        MessageListQuery list = MessageListQuery.parse(query, fields);
        fields.throwIfInvalid();
        if (agents.findAgent(context.tenant(), agentId).isEmpty()) {
            throw new AgentNotFoundException(agentId);
        }
        Optional<String> listed = conversationId == null || conversationId.equals("default") ? Optional.of(agentId)
                : !conversationId.matches(Ids.CONVERSATION_ID) ? Optional.empty()
                : conversations.findConversation(context.tenant(), conversationId).filter(head -> agentId.equals(head.agentId()))
                        .map(ConversationHead::id);
        if (listed.isEmpty()) {
            return ApiResponse.json(200, List.of());
        }
        return ApiResponse.json(200, list.render(conversations.history(context.tenant(), listed.get(), list.history())));
    }
}
