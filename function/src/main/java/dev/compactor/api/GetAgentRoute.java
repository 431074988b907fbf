package dev.compactor.api;

import dev.compactor.conversation.AgentNotFoundException;
import dev.compactor.conversation.AgentStore;

/** {@code GET /v1/agents/{agent_id}}. */
final class GetAgentRoute implements Route {
    private final AgentStore store;

    GetAgentRoute(AgentStore store) {
        this.store = store;
    }

    @Override
    public ApiResponse handle(ApiRequest request, RequestContext context) {
        String agentId = PathIds.agentId(request);
        return ApiResponse.json(200, AgentView.of(store.findAgent(context.tenant(), agentId)
                .orElseThrow(() -> new AgentNotFoundException(agentId))));
    }
}
