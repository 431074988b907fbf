package dev.compactor.api;

import dev.compactor.conversation.ConversationStore;
import dev.compactor.conversation.Reverted;
import dev.compactor.input.FieldError;
import dev.compactor.input.Fields;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/conversations/{conversation_id}/compactions/{generation}/revert} (ours): the
 * context goes back to what it was before that compaction (its parent summary and the messages
 * that summary kept, plus everything appended since). Nothing is deleted; a compaction planned
 * before the revert cannot commit after it (409).
 */
final class RevertCompactionRoute implements Route {
    private final ConversationStore store;

    RevertCompactionRoute(ConversationStore store) {
        this.store = store;
    }

    @Override
    public ApiResponse handle(ApiRequest request, RequestContext context) {
        String pathId = PathIds.conversationIdOrDefault(request);
        Map<String, Object> body = Bodies.optionalObject(request.body());
        Fields fields = new Fields();
        String agentId = fields.string(body.get("agent_id"), List.of("body", "agent_id"));
        List<Object> loc = List.of("path", "generation");
        String raw = request.pathParameters().get("generation");
        Long generation = raw == null ? null : fields.integer(raw, loc);
        if (raw == null) {
            fields.fail(FieldError.of("missing", loc, "Field required", null));
        } else if (generation != null && generation < 1) {
            fields.fail(new FieldError("greater_than_equal", loc, "Input should be greater than or equal to 1", raw,
                    Map.of("ge", 1L)));
        }
        fields.throwIfInvalid();
        String conversationId = AgentDirect.conversationId(store, context.tenant(), pathId, agentId);
        Reverted reverted = store.revert(context.tenant(), conversationId, generation);
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("conversation_id", conversationId);
        response.put("reverted_generation", reverted.revertedGeneration());
        response.put("generation", reverted.generation());
        response.put("summary_generation", reverted.summaryGeneration());
        response.put("context_start_seq", reverted.contextStartSeq());
        return ApiResponse.json(200, response);
    }
}
