package dev.compactor.api;

import dev.compactor.conversation.Agent;
import dev.compactor.conversation.AgentNotFoundException;
import dev.compactor.conversation.AgentStore;
import dev.compactor.conversation.ConversationDirectory;
import dev.compactor.conversation.ConversationFields;
import dev.compactor.conversation.Ids;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.MessageStore;
import dev.compactor.conversation.Snapshot;
import dev.compactor.input.FieldError;
import dev.compactor.input.Fields;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/conversations/{conversation_id}/fork}: a new conversation of the same agent
 * whose context is the source's, as Letta forks: a fresh system message from the agent's current
 * prompt, then the source's summary and kept messages with their ids (Letta shares the messages
 * themselves; here they are copied into the fork, ids unchanged). With {@code message_id}, only
 * the context up to and including that message. The fork takes the source's model, model
 * settings and context window, not its summary or description. {@code default} with
 * {@code agent_id} (or an agent id) forks the agent's default conversation. {@code hidden} leaves
 * the fork out of lists. Answers the fork as {@code GET} would.
 */
final class ForkConversationRoute implements Route {
    private final AgentStore agents;
    private final MessageStore conversations;
    private final ConversationDirectory directory;

    ForkConversationRoute(AgentStore agents, MessageStore conversations, ConversationDirectory directory) {
        this.agents = agents;
        this.conversations = conversations;
        this.directory = directory;
    }

    @Override
    public ApiResponse handle(ApiRequest request, RequestContext context) {
        String pathId = PathIds.conversationIdOrDefault(request);
        Fields fields = new Fields();
        QueryParams query = new QueryParams(request, fields);
        String agentId = query.string("agent_id");
        boolean hidden = Boolean.TRUE.equals(query.bool("hidden"));
        String messageId = query.string("message_id");
        if (messageId != null && !messageId.matches(Ids.MESSAGE_ID)) {
            fields.fail(new FieldError("string_pattern_mismatch", List.of("query", "message_id"),
                    "String should match pattern '" + Ids.MESSAGE_ID + "'", messageId, Map.of("pattern", Ids.MESSAGE_ID)));
        }
        fields.throwIfInvalid();
        String sourceId = AgentDirect.conversationId(agents, context.tenant(), pathId, agentId);
        Snapshot source = conversations.snapshot(context.tenant(), sourceId);
        String owner = source.head().agentId();
        Agent agent = agents.findAgent(context.tenant(), owner).orElseThrow(() -> new AgentNotFoundException(owner));
        List<Message> inContext = source.inContext();
        List<Message> keep = inContext.subList(1, upTo(inContext, messageId));
        ConversationFields from = source.head().fields();
        ConversationFields carried = new ConversationFields(null, null, false, null, from.model(), from.modelSettings(),
                from.contextWindowLimit());
        String id = Ids.newConversationId();
        directory.fork(context.tenant(), source, keep, agent, id, carried, hidden);
        return ApiResponse.json(200, ConversationView.of(conversations.snapshot(context.tenant(), id)));
    }

    /** The end (exclusive) of the context to carry: all of it, or through {@code messageId}, which must be in context. */
    private static int upTo(List<Message> context, String messageId) {
        if (messageId == null) {
            return context.size();
        }
        for (int i = 0; i < context.size(); i++) {
            if (context.get(i).id().equals(messageId)) {
                return i + 1;
            }
        }
        throw ApiException.detail(404, "Message " + messageId + " is not in the conversation's context");
    }
}
