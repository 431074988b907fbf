package dev.compactor.api;

import dev.compactor.compaction.ModelChoice;
import dev.compactor.conversation.Agent;
import dev.compactor.conversation.AgentNotFoundException;
import dev.compactor.conversation.AgentStore;

/**
 * {@code PATCH /v1/agents/{agent_id}}: only the fields sent change. Conversations keep the system
 * message they were created with, and take a changed compaction threshold at their next compaction.
 */
final class UpdateAgentRoute implements Route {
    private final AgentStore store;
    private final ModelChoice models;

    UpdateAgentRoute(AgentStore store, ModelChoice models) {
        this.store = store;
        this.models = models;
    }

    @Override
    public ApiResponse handle(ApiRequest request, RequestContext context) {
        String agentId = PathIds.agentId(request);
        AgentFields.Patch patch = AgentFields.read(Bodies.optionalObject(request.body()), false);
        Agent stored = store.findAgent(context.tenant(), agentId).orElseThrow(() -> new AgentNotFoundException(agentId));
        return ApiResponse.json(200, AgentView.of(store.updateAgent(context.tenant(), patch.applyTo(stored, models))));
    }
}
