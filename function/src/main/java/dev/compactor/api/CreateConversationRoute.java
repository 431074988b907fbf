package dev.compactor.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.compactor.conversation.Agent;
import dev.compactor.conversation.AgentNotFoundException;
import dev.compactor.conversation.AgentStore;
import dev.compactor.conversation.ConversationDirectory;
import dev.compactor.conversation.ConversationFields;
import dev.compactor.conversation.Ids;
import dev.compactor.conversation.MessageStore;
import dev.compactor.input.Fields;
import java.util.Optional;

/**
 * {@code POST /v1/conversations/?agent_id=…}: a new conversation whose first message is the
 * agent's system prompt, with Letta's body fields ({@link ConversationBody}): its own summary,
 * description, model, model settings and context window, and {@code hidden} (left out of lists).
 */
final class CreateConversationRoute implements Route {
    private final AgentStore agents;
    private final MessageStore conversations;
    private final ConversationDirectory directory;

    CreateConversationRoute(AgentStore agents, MessageStore conversations, ConversationDirectory directory) {
        this.agents = agents;
        this.conversations = conversations;
        this.directory = directory;
    }

    @Override
    public ApiResponse handle(ApiRequest request, RequestContext context) {
        Fields fields = new Fields();
        String agentId = new QueryParams(request, fields).required("agent_id");
        ObjectNode body = Bodies.optionalObject(request.body());
        fields.throwIfInvalid();
        ConversationBody.Patch patch = ConversationBody.read(body, false);
        Agent agent = (Ids.isAgentId(agentId) ? agents.findAgent(context.tenant(), agentId) : Optional.<Agent>empty())
                .orElseThrow(() -> new AgentNotFoundException(agentId));
        String id = Ids.newConversationId();
        directory.createConversation(context.tenant(), agent, id, patch.applyTo(ConversationFields.NONE, context.startedAt()),
                patch.hidden());
        return ApiResponse.json(200, ConversationView.of(conversations.snapshot(context.tenant(), id)));
    }
}
