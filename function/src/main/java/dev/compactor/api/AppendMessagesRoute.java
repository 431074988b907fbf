package dev.compactor.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.compactor.conversation.AgentStore;
import dev.compactor.conversation.MessageStore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.compactor.conversation.Appended;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.UnknownToolCallException;
import dev.compactor.input.FieldError;
import dev.compactor.input.Fields;
import dev.compactor.input.InvalidInputException;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/conversations/{conversation_id}/messages/append} (ours: Letta appends only by
 * running its agent): stores {@code {"messages": [...]}} all-or-nothing and returns their ids, with
 * the context's token estimate, window and threshold after them and whether compaction is now due.
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
        ObjectNode body = Bodies.optionalObject(request.body());
        Fields fields = new Fields();
        String agentId = fields.string(Bodies.value(body, "agent_id"), List.of("body", "agent_id"));
        fields.throwIfInvalid();
        List<Message> messages = AppendedMessages.read(body);
        String conversationId = AgentDirect.conversationId(agents, context.tenant(), pathId, agentId);
        Appended appended;
        try {
            appended = conversations.appendMessages(context.tenant(), conversationId, messages);
        } catch (UnknownToolCallException e) {
            throw new InvalidInputException(new FieldError("value_error", List.of("body", "messages", e.index()),
                    "Value error, " + e.getMessage(), e.toolCallId(), Map.of("error", e.getMessage())));
        }
        return ApiResponse.json(200, new AppendAnswer(conversationId, appended.messages().stream().map(Message::id).toList(),
                ContextFigures.of(appended.head(), agents, context.tenant())));
    }

    /** The ids it stored, and where the context stands after them (from the head the append wrote: no extra read). */
    @JsonPropertyOrder({"conversation_id", "message_ids", "figures"})
    record AppendAnswer(@JsonProperty("conversation_id") String conversationId, @JsonProperty("message_ids") List<String> messageIds,
                        @JsonUnwrapped ContextFigures figures) {}
}
