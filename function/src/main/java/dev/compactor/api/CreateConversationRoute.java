package dev.compactor.api;

import dev.compactor.conversation.AgentStore;
import dev.compactor.conversation.MessageStore;
import dev.compactor.conversation.Agent;
import dev.compactor.conversation.AgentNotFoundException;
import dev.compactor.conversation.Ids;
import dev.compactor.input.Fields;
import java.util.Optional;

/**
 * {@code POST /v1/conversations/?agent_id=…}: a new conversation whose first message is the
 * agent's system prompt. Letta's body fields (summary, model overrides, isolated blocks) are
 * accepted and ignored.
 */
final class CreateConversationRoute implements Route {
    private final AgentStore agents;
    private final MessageStore conversations;

    CreateConversationRoute(AgentStore agents, MessageStore conversations) {
        this.agents = agents;
        this.conversations = conversations;
    }

    @Override
    public ApiResponse handle(ApiRequest request, RequestContext context) {
        Fields fields = new Fields();
        String agentId = new QueryParams(request, fields).required("agent_id");
        Bodies.optionalObject(request.body());
        fields.throwIfInvalid();
        Agent agent = (Ids.isAgentId(agentId) ? agents.findAgent(context.tenant(), agentId) : Optional.<Agent>empty())
                .orElseThrow(() -> new AgentNotFoundException(agentId));
        String id = Ids.newConversationId();
        conversations.createConversation(context.tenant(), agent, id);
        return ApiResponse.json(200, ConversationView.of(conversations.snapshot(context.tenant(), id)));
    }
}
