package dev.compactor.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.compactor.conversation.AgentStore;
import dev.compactor.conversation.ConversationHead;
import dev.compactor.conversation.ConversationNotFoundException;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.MessageStore;
import dev.compactor.conversation.Snapshot;
import dev.compactor.input.Fields;
import dev.compactor.llm.render.AnthropicContext;
import dev.compactor.llm.render.ContextParts;
import dev.compactor.llm.render.ConverseContext;
import dev.compactor.llm.render.NativeContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/conversations/{conversation_id}/context} (ours): the messages in context — system,
 * the summary where Letta places it (right after system), the kept messages — ready for the next
 * model call, with where the context stands against its compaction threshold. Agent-direct mode
 * as on Letta's routes ({@code default} with an {@code agent_id} query parameter, or a deprecated
 * agent id).
 *
 * <p>{@code format=letta} (the default) lists Letta's {@code LettaMessage}s as the message list
 * renders them; {@code openai}, {@code anthropic}, {@code bedrock} and {@code gemini} give, as
 * {@code request}, the part of that vendor's request body a context fills (rendered by
 * {@link NativeContext}), to send as-is with the caller's model, tools and sampling parameters.
 *
 * <p>It reads the head and the context only: never the evicted history. A container that has read
 * the conversation's context before queries the range while it reads the head, and reuses the
 * system message and summary it read then ({@link MessageStore#context(String, String)}). The
 * {@code ETag} comes from the head alone, so a request with {@code If-None-Match} reads the head
 * first, and one that still matches is answered 304 after that one read.
 */
final class GetContextRoute implements Route {
    static final String RESOURCE = "/v1/conversations/{conversation_id}/context";
    static final List<String> FORMATS = List.of("letta", "openai", "anthropic", "bedrock", "gemini");

    private final AgentStore agents;
    private final MessageStore conversations;

    GetContextRoute(AgentStore agents, MessageStore conversations) {
        this.agents = agents;
        this.conversations = conversations;
    }

    @Override
    public ApiResponse handle(ApiRequest request, RequestContext context) {
        String pathId = PathIds.conversationIdOrDefault(request);
        Fields fields = new Fields();
        QueryParams query = new QueryParams(request, fields);
        String agentId = query.string("agent_id");
        String format = query.literal("format", FORMATS, "letta");
        fields.throwIfInvalid();
        String tenant = context.tenant();
        String conversationId = AgentDirect.conversationId(agents, tenant, pathId, agentId);
        context.log().conversation(conversationId).put("format", format);
        String ifNoneMatch = request.headers().get("if-none-match");
        Snapshot snapshot;
        if (ifNoneMatch == null) {
            snapshot = conversations.context(tenant, conversationId);
        } else {
            // The head alone answers a 304: the messages are read only when the tag no longer matches.
            ConversationHead head = conversations.findConversation(tenant, conversationId)
                    .orElseThrow(() -> new ConversationNotFoundException(conversationId));
            String etag = ContextETag.of(head);
            if (ContextETag.matches(ifNoneMatch, etag)) {
                context.log().outcome("not_modified");
                return new ApiResponse(304, Map.of("ETag", etag), "");
            }
            snapshot = conversations.context(tenant, head);
        }
        ConversationHead head = snapshot.head();
        String etag = ContextETag.of(head);
        context.log().put("context_messages", snapshot.inContext().size());
        ContextFigures figures = ContextFigures.of(head, agents, tenant);
        ContextParts parts = ContextParts.of(snapshot);
        ContextView view = switch (format) {
            case "openai" -> ContextView.vendor(head, format, figures, NativeContext.openAi(parts), null);
            case "anthropic" -> {
                AnthropicContext rendered = NativeContext.anthropic(parts);
                yield ContextView.vendor(head, format, figures, rendered, rendered.toolNames());
            }
            case "bedrock" -> {
                ConverseContext rendered = NativeContext.bedrock(parts);
                yield ContextView.vendor(head, format, figures, rendered, rendered.toolNames());
            }
            case "gemini" -> ContextView.vendor(head, format, figures, NativeContext.gemini(parts), null);
            default -> new ContextView(head.id(), head.agentId(), format, head.compactionGen(), figures, letta(snapshot), null, null);
        };
        return ApiResponse.json(200, view).withHeader("ETag", etag);
    }

    private static List<LettaMessages.LettaMessage> letta(Snapshot snapshot) {
        List<LettaMessages.LettaMessage> messages = new ArrayList<>();
        for (Message m : snapshot.inContext()) {
            messages.addAll(LettaMessages.render(m));
        }
        return messages;
    }

    /**
     * @param generation the conversation's compaction generation (bumped by every compaction and revert)
     * @param messages {@code letta}: the context as Letta's {@code LettaMessage} list renders it
     * @param request a vendor format: the request body's context fields, one of {@link NativeContext}'s records
     * @param toolNames {@code anthropic} and {@code bedrock}: the tools the messages call, which the request must declare
     */
    @JsonPropertyOrder({"conversation_id", "agent_id", "format", "generation", "figures", "messages", "tool_names", "request"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ContextView(
            @JsonProperty("conversation_id") String conversationId,
            @JsonProperty("agent_id") String agentId,
            String format,
            long generation,
            @JsonUnwrapped ContextFigures figures,
            List<LettaMessages.LettaMessage> messages,
            @JsonProperty("tool_names") List<String> toolNames,
            Object request) {

        static ContextView vendor(ConversationHead head, String format, ContextFigures figures, Object request, List<String> toolNames) {
            return new ContextView(head.id(), head.agentId(), format, head.compactionGen(), figures, null, toolNames, request);
        }
    }
}
