package dev.compactor.api;

import dev.compactor.conversation.ConversationHead;
import dev.compactor.conversation.ConversationNotFoundException;
import dev.compactor.conversation.ConversationStore;
import dev.compactor.conversation.SummaryRecord;
import dev.compactor.support.JsonMapper;
import dev.compactor.input.Fields;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/conversations/{conversation_id}/compactions} (ours): every committed compaction
 * with its lineage, newest first by default; {@code after} is a generation, {@code limit} at most
 * 100. {@code in_context} marks the summary the context holds now.
 */
final class ListCompactionsRoute implements Route {
    static final long DEFAULT_LIMIT = 20;
    static final long MAX_LIMIT = 100;
    private final ConversationStore store;

    ListCompactionsRoute(ConversationStore store) {
        this.store = store;
    }

    @Override
    public ApiResponse handle(ApiRequest request, RequestContext context) {
        String pathId = PathIds.conversationIdOrDefault(request);
        Fields fields = new Fields();
        QueryParams query = new QueryParams(request, fields);
        String agentId = query.string("agent_id");
        long limit = query.integer("limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
        long after = query.integer("after", 0, Long.MAX_VALUE, 0);
        String order = query.literal("order", List.of("asc", "desc"), "desc");
        fields.throwIfInvalid();
        String conversationId = AgentDirect.conversationId(store, context.tenant(), pathId, agentId);
        ConversationHead head = store.findConversation(context.tenant(), conversationId)
                .orElseThrow(() -> new ConversationNotFoundException(conversationId));
        List<SummaryRecord> records = store.compactions(context.tenant(), conversationId, after, (int) limit, "asc".equals(order));
        return ApiResponse.json(200, records.stream().map(r -> view(r, head)).toList());
    }

    private static Map<String, Object> view(SummaryRecord r, ConversationHead head) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("generation", r.generation());
        out.put("parent_generation", r.parentGeneration());
        out.put("in_context", r.generation() == head.summaryGen());
        out.put("summary_message_id", r.messageId());
        out.put("summary", r.summary());
        out.put("covered_from_seq", r.coveredFromSeq());
        out.put("covered_to_seq", r.coveredToSeq());
        out.put("kept_from_seq", r.keptFromSeq());
        out.put("mode_requested", r.modeRequested());
        out.put("mode_used", r.modeUsed());
        out.put("model", r.model());
        out.put("source", r.source());
        out.put("prompt_hash", r.promptHash());
        out.put("summary_tokens", r.tokens());
        out.put("created_at", r.createdAt().toString());
        out.put("details", r.details() == null ? Map.of() : JsonMapper.MAPPER.convertValue(r.details(), Object.class));
        return out;
    }
}
