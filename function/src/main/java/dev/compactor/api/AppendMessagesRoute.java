package dev.compactor.api;

import dev.compactor.conversation.AgentStore;
import dev.compactor.conversation.MessageStore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.UnknownToolCallException;
import dev.compactor.input.FieldError;
import dev.compactor.input.Fields;
import dev.compactor.input.InvalidInputException;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/conversations/{conversation_id}/messages/append} (ours: Letta appends only by
 * running its agent): stores {@code {"messages": [...]}} all-or-nothing and returns their ids.
 * Agent-direct mode as on Letta's routes ({@code default} with a body {@code agent_id}).
 */
final class AppendMessagesRoute implements Route {
    private final AgentStore agents;
    private final MessageStore conversations;

    AppendMessagesRoute(AgentStore agents, MessageStore conversations) {
        this.agents = agents;
        this.conversations = conversations;
    }

    @Override
    public ApiResponse handle(ApiRequest request, RequestContext context) {
        String pathId = PathIds.conversationIdOrDefault(request);
        Map<String, Object> body = Bodies.optionalObject(request.body());
        Fields fields = new Fields();
        String agentId = fields.string(body.get("agent_id"), List.of("body", "agent_id"));
        fields.throwIfInvalid();
        List<Message> messages = AppendedMessages.read(body);
        String conversationId = AgentDirect.conversationId(agents, context.tenant(), pathId, agentId);
        List<Message> stored;
        try {
            stored = conversations.append(context.tenant(), conversationId, messages);
        } catch (UnknownToolCallException e) {
            throw new InvalidInputException(new FieldError("value_error", List.of("body", "messages", e.index()),
                    "Value error, " + e.getMessage(), e.toolCallId(), Map.of("error", e.getMessage())));
        }
        return ApiResponse.json(200, new Appended(conversationId, stored.stream().map(Message::id).toList()));
    }

    @JsonPropertyOrder({"conversation_id", "message_ids"})
    record Appended(@JsonProperty("conversation_id") String conversationId, @JsonProperty("message_ids") List<String> messageIds) {}
}
