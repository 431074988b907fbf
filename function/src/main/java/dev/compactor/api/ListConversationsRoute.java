package dev.compactor.api;

import dev.compactor.conversation.ConversationDirectory;
import dev.compactor.conversation.ConversationNotFoundException;
import dev.compactor.conversation.ConversationQuery;
import dev.compactor.conversation.Ids;
import dev.compactor.input.Fields;
import java.util.List;
import java.util.Locale;

/**
 * {@code GET /v1/conversations/}: Letta's list, newest first by default. {@code agent_id} narrows
 * it to one agent (an id that is no agent's lists nothing, as in Letta); {@code after} is a
 * conversation id (one the tenant never had is Letta's 404); {@code order_by} is
 * {@code created_at}, or {@code last_message_at} and {@code last_run_completion}, which both mean
 * the last append or compaction here (there are no runs); {@code summary_search} matches within
 * the conversation's summary; {@code archive_status} defaults to {@code unarchived}.
 */
final class ListConversationsRoute implements Route {
    static final long DEFAULT_LIMIT = 50;
    static final long MAX_LIMIT = 1000;
    private final ConversationDirectory directory;

    ListConversationsRoute(ConversationDirectory directory) {
        this.directory = directory;
    }

    @Override
    public ApiResponse handle(ApiRequest request, RequestContext context) {
        Fields fields = new Fields();
        QueryParams query = new QueryParams(request, fields);
        String agentId = query.string("agent_id");
        long limit = query.integer("limit", 0, MAX_LIMIT, DEFAULT_LIMIT);
        String after = query.string("after");
        String summarySearch = query.string("summary_search");
        String order = query.literal("order", List.of("asc", "desc"), "desc");
        String orderBy = query.literal("order_by", List.of("created_at", "last_run_completion", "last_message_at"), "created_at");
        String archiveStatus = query.literal("archive_status", List.of("unarchived", "archived", "all"), "unarchived");
        fields.throwIfInvalid();
        if (agentId != null && !Ids.isAgentId(agentId)) {
            return ApiResponse.json(200, List.of());
        }
        if (after != null && !Ids.isConversationId(after)) {
            throw new ConversationNotFoundException(after);
        }
        ConversationQuery q = new ConversationQuery(agentId, (int) limit, after, "asc".equals(order),
                "created_at".equals(orderBy) ? ConversationQuery.Order.CREATED_AT : ConversationQuery.Order.LAST_ACTIVITY,
                summarySearch, ConversationQuery.ArchiveStatus.valueOf(archiveStatus.toUpperCase(Locale.ROOT)));
        return ApiResponse.json(200, directory.listConversations(context.tenant(), q).stream().map(ConversationView::listed).toList());
    }
}
