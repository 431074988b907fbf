package dev.compactor.api;

import dev.compactor.conversation.AgentDirectory;
import dev.compactor.conversation.AgentQuery;
import dev.compactor.conversation.Ids;
import dev.compactor.input.Fields;
import java.util.List;

/**
 * {@code GET /v1/agents/}: the tenant's agents with Letta's paging ({@code limit} 50,
 * {@code order} desc, {@code before}/{@code after} agent ids; a cursor that names no agent is
 * ignored, as Letta ignores it) and its {@code name} filter. Agents are ordered by creation time
 * whatever {@code order_by} says ({@code updated_at} and {@code last_run_completion} are not kept
 * here). Letta's other filters (tags, templates, identities, projects, search) are validated
 * where typed and ignored: this service keeps none of what they filter on.
 */
final class ListAgentsRoute implements Route {
    static final long DEFAULT_LIMIT = 50;
    static final long MAX_LIMIT = 1000;
    private final AgentDirectory directory;

    ListAgentsRoute(AgentDirectory directory) {
        this.directory = directory;
    }

    @Override
    public ApiResponse handle(ApiRequest request, RequestContext context) {
        Fields fields = new Fields();
        QueryParams query = new QueryParams(request, fields);
        long limit = query.integer("limit", 0, MAX_LIMIT, DEFAULT_LIMIT);
        String after = query.string("after");
        String before = query.string("before");
        String name = query.string("name");
        String order = query.literal("order", List.of("asc", "desc"), "desc");
        query.literal("order_by", List.of("created_at", "updated_at", "last_run_completion"), "created_at");
        query.checkBool("ascending");
        query.checkBool("match_all_tags");
        fields.throwIfInvalid();
        AgentQuery q = new AgentQuery((int) limit, Ids.isAgentId(after) ? after : null, Ids.isAgentId(before) ? before : null,
                "asc".equals(order), name);
        return ApiResponse.json(200, directory.listAgents(context.tenant(), q).stream().map(AgentView::of).toList());
    }
}
