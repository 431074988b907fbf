package dev.compactor.api;

import dev.compactor.compaction.CompactionService;
import dev.compactor.compaction.CompactionSettings;
import dev.compactor.compaction.QualityGateException;
import dev.compactor.compaction.SettingsParser;
import dev.compactor.conversation.Ids;
import dev.compactor.input.FieldError;
import dev.compactor.input.Fields;
import dev.compactor.input.InvalidInputException;
import dev.compactor.json.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/conversations/{conversation_id}/compact} with Letta's request, response, and
 * agent-direct resolution ({@code default} + body {@code agent_id}, or a deprecated agent id in
 * the path). Ours on top: {@code ?dry_run=true} answers the plan without calling a model or
 * writing anything; an {@code Idempotency-Key} header makes a retry replay the first answer;
 * Letta's three response fields come first, our details under {@code compaction}.
 */
final class CompactRoute implements Route {
    static final String RESOURCE = "/v1/conversations/{conversation_id}/compact";
    private final CompactionService service;
    private final IdempotentRequests idempotency;

    CompactRoute(CompactionService service, IdempotentRequests idempotency) {
        this.service = service;
        this.idempotency = idempotency;
    }

    @Override
    public ApiResponse handle(ApiRequest request, RequestContext context) {
        String conversationId = request.pathParameters().get("conversation_id");
        validatePathId(conversationId);
        Map<String, Object> body = Bodies.optionalObject(request.body());
        Fields fields = new Fields();
        String agentId = fields.string(body.get("agent_id"), List.of("body", "agent_id"));
        CompactionSettings settings = SettingsParser.parse(body.get("compaction_settings"),
                List.of("body", "compaction_settings"), fields);
        String dryRunParam = request.queryParameter("dry_run");
        Boolean dryRun = dryRunParam == null ? null : fields.bool(dryRunParam, List.of("query", "dry_run"));
        fields.throwIfInvalid();

        String agent = AgentDirect.agentId(conversationId, agentId);
        CompactionService.Target target = agent != null ? CompactionService.Target.agentDefault(agent)
                : CompactionService.Target.conversation(conversationId);
        if (Boolean.TRUE.equals(dryRun)) {
            return ApiResponse.json(200, response(service.dryRun(context.tenant(), target, settings, "manual",
                    context.deadline())));
        }
        return idempotency.run(request, body, context, claim -> {
            CompactionService.Result result;
            try {
                result = service.compact(context.tenant(), target, settings, "manual", context.deadline(),
                        claim == null ? null : new CompactionService.Idempotent(claim, r -> Json.write(response(r))));
            } catch (QualityGateException e) {
                // The model answered, but its summary failed an enforced quality gate: an unusable
                // upstream answer, like an empty one (502); nothing was written.
                Map<String, Object> error = new LinkedHashMap<>();
                error.put("detail", e.getMessage());
                error.put("gates", e.report().toJson());
                throw new ApiException(502, error);
            }
            return ApiResponse.json(200, response(result));
        });
    }

    private static Map<String, Object> response(CompactionService.Result result) {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("summary", result.summary());
        response.put("num_messages_before", result.numMessagesBefore());
        response.put("num_messages_after", result.numMessagesAfter());
        response.put("compaction", result.details());
        return response;
    }

    /** Letta's {@code ConversationIdOrDefault}: at most 42 characters, then the id pattern. */
    static void validatePathId(String id) {
        List<Object> loc = List.of("path", "conversation_id");
        if (id == null) {
            throw new InvalidInputException(FieldError.of("missing", loc, "Field required", null));
        }
        if (id.length() > Ids.MAX_CONVERSATION_ID_LENGTH) {
            throw new InvalidInputException(new FieldError("string_too_long", loc,
                    "String should have at most " + Ids.MAX_CONVERSATION_ID_LENGTH + " characters", id,
                    Map.of("max_length", (long) Ids.MAX_CONVERSATION_ID_LENGTH)));
        }
        if (!Ids.isConversationIdOrDefault(id)) {
            throw new InvalidInputException(new FieldError("string_pattern_mismatch", loc,
                    "String should match pattern '" + Ids.CONVERSATION_ID_OR_DEFAULT + "'", id,
                    Map.of("pattern", Ids.CONVERSATION_ID_OR_DEFAULT)));
        }
    }
}
