package dev.compactor.api;

import dev.compactor.conversation.AgentStore;
import dev.compactor.conversation.MessageStore;
import dev.compactor.input.Fields;

/**
 * {@code GET /v1/conversations/{conversation_id}/messages}: Letta's list of {@code LettaMessage}s
 * over the whole history (evicted messages and past summaries included), with the parameters of
 * {@link MessageListQuery}. {@code group_id} is accepted and ignored.
 */
final class ListMessagesRoute implements Route {
    private final AgentStore agents;
    private final MessageStore conversations;

    ListMessagesRoute(AgentStore agents, MessageStore conversations) {
        this.agents = agents;
        this.conversations = conversations;
    }

    @Override
    public ApiResponse handle(ApiRequest request, RequestContext context) {
        String pathId = PathIds.conversationIdOrDefault(request);
        Fields fields = new Fields();
        QueryParams query = new QueryParams(request, fields);
        String agentId = query.string("agent_id");
        MessageListQuery list = MessageListQuery.parse(query, fields);
        fields.throwIfInvalid();
        String conversationId = AgentDirect.conversationId(agents, context.tenant(), pathId, agentId);
        return ApiResponse.json(200, list.render(conversations.history(context.tenant(), conversationId, list.history())));
    }
}
