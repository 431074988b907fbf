package dev.compactor.api;

import dev.compactor.conversation.AgentStore;
import dev.compactor.conversation.MessageStore;
import dev.compactor.conversation.CompactionHistory;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.compactor.conversation.ConversationHead;
import dev.compactor.conversation.ConversationNotFoundException;
import dev.compactor.conversation.SummaryRecord;
import dev.compactor.input.Fields;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/conversations/{conversation_id}/compactions} (ours): every committed compaction
 * with its lineage, newest first by default; {@code after} is a generation, {@code limit} at most
 * 100. {@code in_context} marks the summary the context holds now; {@code trigger} who ran each one.
 */
final class ListCompactionsRoute implements Route {
    static final long DEFAULT_LIMIT = 20;
    static final long MAX_LIMIT = 100;
    private final AgentStore agents;
    private final MessageStore conversations;
    private final CompactionHistory compactions;

    ListCompactionsRoute(AgentStore agents, MessageStore conversations, CompactionHistory compactions) {
        this.agents = agents;
        this.conversations = conversations;
        this.compactions = compactions;
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
        String conversationId = AgentDirect.conversationId(agents, context.tenant(), pathId, agentId);
        ConversationHead head = conversations.findConversation(context.tenant(), conversationId)
                .orElseThrow(() -> new ConversationNotFoundException(conversationId));
        List<SummaryRecord> records = compactions.compactions(context.tenant(), conversationId, after, (int) limit, "asc".equals(order));
        return ApiResponse.json(200, records.stream().map(r -> CompactionView.of(r, head)).toList());
    }

    /**
     * A committed compaction with its lineage; {@code in_context} when the context holds its summary
     * now; {@code trigger} {@code manual}, {@code due} or {@code schedule}, null for a compaction
     * committed before triggers were recorded.
     */
    @JsonPropertyOrder({"generation", "parent_generation", "in_context", "summary_message_id", "summary", "covered_from_seq",
            "covered_to_seq", "kept_from_seq", "mode_requested", "mode_used", "model", "source", "prompt_hash", "summary_tokens",
            "created_at", "trigger", "details"})
    record CompactionView(
            long generation,
            @JsonProperty("parent_generation") long parentGeneration,
            @JsonProperty("in_context") boolean inContext,
            @JsonProperty("summary_message_id") String summaryMessageId,
            String summary,
            @JsonProperty("covered_from_seq") long coveredFromSeq,
            @JsonProperty("covered_to_seq") long coveredToSeq,
            @JsonProperty("kept_from_seq") long keptFromSeq,
            @JsonProperty("mode_requested") String modeRequested,
            @JsonProperty("mode_used") String modeUsed,
            String model,
            String source,
            @JsonProperty("prompt_hash") String promptHash,
            @JsonProperty("summary_tokens") int summaryTokens,
            @JsonProperty("created_at") String createdAt,
            String trigger,
            Object details) { // the summary record's compaction report; {} for a record stored without one

        static CompactionView of(SummaryRecord r, ConversationHead head) {
            return new CompactionView(r.generation(), r.parentGeneration(), r.generation() == head.summaryGen(), r.messageId(),
                    r.summary(), r.coveredFromSeq(), r.coveredToSeq(), r.keptFromSeq(), r.modeRequested(), r.modeUsed(), r.model(),
                    r.source(), r.promptHash(), r.tokens(), r.createdAt().toString(), r.trigger(),
                    r.details() == null ? Map.of() : r.details());
        }
    }
}
