package dev.compactor.api;

import dev.compactor.conversation.AgentStore;
import dev.compactor.conversation.MessageStore;
import dev.compactor.conversation.HistoryQuery;
import dev.compactor.conversation.Message;
import dev.compactor.input.Fields;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /v1/conversations/{conversation_id}/messages}: Letta's list of {@code LettaMessage}s
 * over the whole history (evicted messages and past summaries included), with Letta's
 * {@code before}/{@code after}/{@code limit}/{@code order} cursors (message ids; {@code order}
 * defaults to {@code desc}, newest first). {@code group_id} and {@code include_err} are accepted
 * and ignored.
 */
final class ListMessagesRoute implements Route {
    static final long DEFAULT_LIMIT = 100;
    static final long MAX_LIMIT = 1000;
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
        String before = query.string("before");
        String after = query.string("after");
        long limit = query.integer("limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
        String order = query.literal("order", List.of("asc", "desc"), "desc");
        query.literal("order_by", List.of("created_at"), "created_at");
        query.checkBool("include_err");
        fields.throwIfInvalid();
        String conversationId = AgentDirect.conversationId(agents, context.tenant(), pathId, agentId);
        List<Message> page = conversations.history(context.tenant(), conversationId,
                new HistoryQuery(after, before, (int) limit, "asc".equals(order)));
        List<LettaMessages.LettaMessage> out = new ArrayList<>(page.size());
        for (Message m : page) {
            out.addAll(LettaMessages.render(m));
        }
        return ApiResponse.json(200, out);
    }
}
