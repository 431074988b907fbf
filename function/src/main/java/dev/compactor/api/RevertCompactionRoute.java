package dev.compactor.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.compactor.conversation.ConversationHead;
import dev.compactor.conversation.ConversationStore;
import dev.compactor.conversation.Reverted;
import dev.compactor.events.CompactionReverted;
import dev.compactor.events.EventPublisher;
import dev.compactor.input.FieldError;
import dev.compactor.input.Fields;
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
    private final EventPublisher events;

    /** @param events told of every committed revert, after its commit */
    RevertCompactionRoute(ConversationStore store, EventPublisher events) {
        this.store = store;
        this.events = events;
    }

    @Override
    public ApiResponse handle(ApiRequest request, RequestContext context) {
        String pathId = PathIds.conversationIdOrDefault(request);
        ObjectNode body = Bodies.optionalObject(request.body());
        Fields fields = new Fields();
        String agentId = fields.string(Bodies.value(body, "agent_id"), List.of("body", "agent_id"));
        List<Object> loc = List.of("path", "generation");
        String raw = request.pathParameters().get("generation");
        Long generation = raw == null ? null : fields.integer(TextNode.valueOf(raw), loc);
        if (raw == null) {
            fields.fail(FieldError.of("missing", loc, "Field required", null));
        } else if (generation != null && generation < 1) {
            fields.fail(new FieldError("greater_than_equal", loc, "Input should be greater than or equal to 1", raw,
                    Map.of("ge", 1L)));
        }
        fields.throwIfInvalid();
        String conversationId = AgentDirect.conversationId(store, context.tenant(), pathId, agentId);
        Reverted reverted = store.revert(context.tenant(), conversationId, generation);
        if (events != EventPublisher.NONE) {
            // The revert does not report the agent: read it from the head once the revert has committed.
            String agent = store.findConversation(context.tenant(), conversationId).map(ConversationHead::agentId).orElse(null);
            events.publish(new CompactionReverted(context.tenant(), conversationId, agent, reverted.generation(),
                    reverted.revertedGeneration(), reverted.summaryGeneration()));
        }
        return ApiResponse.json(200, new RevertResponse(conversationId, reverted.revertedGeneration(), reverted.generation(),
                reverted.summaryGeneration(), reverted.contextStartSeq()));
    }

    @JsonPropertyOrder({"conversation_id", "reverted_generation", "generation", "summary_generation", "context_start_seq"})
    record RevertResponse(
            @JsonProperty("conversation_id") String conversationId,
            @JsonProperty("reverted_generation") long revertedGeneration,
            long generation,
            @JsonProperty("summary_generation") long summaryGeneration,
            @JsonProperty("context_start_seq") long contextStartSeq) {}
}
