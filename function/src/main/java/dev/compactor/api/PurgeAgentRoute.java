package dev.compactor.api;

import dev.compactor.input.Fields;
import java.util.List;

/**
 * {@code DELETE /v1/agents/{agent_id}?purge=true}: the agent and every item of every conversation
 * it has are deleted (see {@link AgentPurger}). Without {@code purge=true} the request is Letta's
 * delete, which {@code softDelete} answers.
 */
final class PurgeAgentRoute implements Route {
    private final AgentPurger purger;
    private final Route softDelete;

    PurgeAgentRoute(AgentPurger purger, Route softDelete) {
        this.purger = purger;
        this.softDelete = softDelete;
    }

    @Override
    public ApiResponse handle(ApiRequest request, RequestContext context) {
        Fields fields = new Fields();
        Boolean purge = fields.bool(new QueryParams(request, fields).string("purge"), List.of("query", "purge"));
        fields.throwIfInvalid();
        if (!Boolean.TRUE.equals(purge)) {
            return softDelete.handle(request, context);
        }
        return purger.purge(context, PathIds.agentId(request));
    }
}
