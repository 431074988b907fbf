package dev.compactor.api;

import dev.compactor.conversation.ConversationStore;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.UnknownToolCallException;
import dev.compactor.input.FieldError;
import dev.compactor.input.Fields;
import dev.compactor.input.InvalidInputException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/conversations/{conversation_id}/messages/append} (ours: Letta appends only by
 * running its agent): stores {@code {"messages": [...]}} all-or-nothing and returns their ids.
 * Agent-direct mode as on Letta's routes ({@code default} with a body {@code agent_id}).
 */
final class AppendMessagesRoute implements Route {
    private final ConversationStore store;

    AppendMessagesRoute(ConversationStore store) {
        this.store = store;
    }

    @Override
    public ApiResponse handle(ApiRequest request, RequestContext context) {
        String pathId = PathIds.conversationIdOrDefault(request);
        Map<String, Object> body = Bodies.optionalObject(request.body());
        Fields fields = new Fields();
        String agentId = fields.string(body.get("agent_id"), List.of("body", "agent_id"));
        fields.throwIfInvalid();
        List<Message> messages = AppendedMessages.read(body);
        String conversationId = AgentDirect.conversationId(store, context.tenant(), pathId, agentId);
        List<Message> stored;
        try {
            stored = store.append(context.tenant(), conversationId, messages);
        } catch (UnknownToolCallException e) {
            throw new InvalidInputException(new FieldError("value_error", List.of("body", "messages", e.index()),
                    "Value error, " + e.getMessage(), e.toolCallId(), Map.of("error", e.getMessage())));
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("conversation_id", conversationId);
        response.put("message_ids", stored.stream().map(Message::id).toList());
        return ApiResponse.json(200, response);
    }
}
