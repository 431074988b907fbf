package dev.compactor.api;

import dev.compactor.conversation.AgentDirectory;
import java.util.Map;

/**
 * {@code DELETE /v1/agents/{agent_id}}: the agent is gone (404 after, out of the list) and its
 * conversations, its default one included, are soft-deleted as Letta cascades. Answers Letta's
 * {@code {"message": "Agent id=… successfully deleted"}}.
 */
final class DeleteAgentRoute implements Route {
    private final AgentDirectory directory;

    DeleteAgentRoute(AgentDirectory directory) {
        this.directory = directory;
    }

    @Override
    public ApiResponse handle(ApiRequest request, RequestContext context) {
        String agentId = PathIds.agentId(request);
        directory.deleteAgent(context.tenant(), agentId);
        return ApiResponse.json(200, Map.of("message", "Agent id=" + agentId + " successfully deleted"));
    }
}
