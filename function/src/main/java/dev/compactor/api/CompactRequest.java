package dev.compactor.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.compactor.compaction.CompactionService;
import dev.compactor.compaction.CompactionSettings;
import dev.compactor.compaction.SettingsJudge;
import dev.compactor.input.Fields;
import java.util.List;
import java.util.Locale;

/**
 * A compact request, validated: the path id, what it resolves to, the settings sent, and how it
 * runs ({@code ?dry_run=true}; {@code Prefer: respond-async} or {@code ?async=true} for a job).
 *
 * @param preferred whether the request asked for a job with {@code Prefer: respond-async}
 */
record CompactRequest(String pathId, CompactionService.Target target, CompactionSettings settings, ObjectNode body,
                      boolean dryRun, boolean async, boolean preferred) {
    static final String PREFER = "prefer";
    static final String RESPOND_ASYNC = "respond-async";

    static CompactRequest parse(ApiRequest request) {
        String pathId = request.pathParameters().get("conversation_id");
        CompactRoute.validatePathId(pathId);
        return parse(request, pathId, Bodies.optionalObject(request.body()));
    }

    /**
     * {@code POST /v1/agents/{agent_id}/summarize}: the agent's default conversation (the
     * deprecated agent-id path form of the compact route). Letta's body there is only
     * {@code compaction_settings}; any {@code agent_id} in it is ignored, as pydantic ignores
     * unknown fields.
     */
    static CompactRequest parseForAgent(ApiRequest request, String agentId) {
        ObjectNode body = Bodies.optionalObject(request.body());
        body.remove("agent_id");
        return parse(request, agentId, body);
    }

    private static CompactRequest parse(ApiRequest request, String pathId, ObjectNode body) {
        Fields fields = new Fields();
        QueryParams query = new QueryParams(request, fields);
        boolean preferred = prefersAsync(request.headers().get(PREFER));
        boolean dry = Boolean.TRUE.equals(query.bool("dry_run"));
        boolean job = preferred || Boolean.TRUE.equals(query.bool("async"));
        return of(pathId, body, fields, dry, job, preferred);
    }

    /** The request an asynchronous job stores (path id and body), as its worker runs it. */
    static CompactRequest ofJob(String pathId, String body) {
        CompactRoute.validatePathId(pathId);
        return of(pathId, Bodies.optionalObject(body), new Fields(), false, false, false);
    }

    private static CompactRequest of(String pathId, ObjectNode body, Fields fields, boolean dryRun, boolean async,
                                     boolean preferred) {
        String agentId = fields.string(Bodies.value(body, "agent_id"), List.of("body", "agent_id"));
        CompactionSettings settings = SettingsJudge.read(Bodies.value(body, "compaction_settings"), List.of("body", "compaction_settings"),
                fields);
        fields.throwIfInvalid();
        String agent = AgentDirect.agentId(pathId, agentId);
        CompactionService.Target target = agent != null ? CompactionService.Target.agentDefault(agent)
                : CompactionService.Target.conversation(pathId);
        return new CompactRequest(pathId, target, settings, body, dryRun, async, preferred);
    }

    /** The mode the request asked for, or null when it leaves it to the agent's settings. */
    String requestedMode() {
        return settings == null || !settings.fieldsSet().contains("mode") ? null : settings.mode().wire();
    }

    /** RFC 7240: a comma-separated list of preferences, each a token with optional value and parameters. */
    private static boolean prefersAsync(String prefer) {
        if (prefer == null) {
            return false;
        }
        for (String preference : prefer.split(",")) {
            String token = preference.split("[=;]", 2)[0].strip().toLowerCase(Locale.ROOT);
            if (token.equals(RESPOND_ASYNC)) {
                return true;
            }
        }
        return false;
    }
}
