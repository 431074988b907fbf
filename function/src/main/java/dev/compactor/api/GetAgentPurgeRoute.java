package dev.compactor.api;

/** {@code GET /v1/agents/{agent_id}/purge} (ours): the receipt of a running or finished agent purge. */
final class GetAgentPurgeRoute implements Route {
    private final AgentPurger purger;

    GetAgentPurgeRoute(AgentPurger purger) {
        this.purger = purger;
    }

    @Override
    public ApiResponse handle(ApiRequest request, RequestContext context) {
        return purger.receipt(context.tenant(), PathIds.agentId(request));
    }
}
