package dev.compactor.api;

import dev.compactor.compaction.ModelChoice;
import dev.compactor.conversation.Agent;
import dev.compactor.conversation.AgentStore;
import dev.compactor.conversation.Ids;
import java.time.Clock;

/** {@code POST /v1/agents/}: stores the agent and its default conversation (whose id is the agent's). */
final class CreateAgentRoute implements Route {
    private final AgentStore store;
    private final Clock clock;
    private final ModelChoice models;

    CreateAgentRoute(AgentStore store, Clock clock, ModelChoice models) {
        this.store = store;
        this.clock = clock;
        this.models = models;
    }

    @Override
    public ApiResponse handle(ApiRequest request, RequestContext context) {
        Agent agent = AgentFields.create(Bodies.optionalObject(request.body()), Ids.newAgentId(), clock.instant(), models);
        return ApiResponse.json(200, AgentView.of(store.createAgent(context.tenant(), agent)));
    }
}
