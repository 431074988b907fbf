package dev.compactor.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.compactor.compaction.SummaryPackager;
import dev.compactor.conversation.AgentNotFoundException;
import dev.compactor.conversation.AgentStore;
import dev.compactor.conversation.ConversationHead;
import dev.compactor.conversation.ContentPart;
import dev.compactor.conversation.MessageStore;
import dev.compactor.conversation.Snapshot;
import java.util.Optional;

/**
 * {@code POST /v1/agents/{agent_id}/summarize} (the SDK's {@code agents.messages.compact}):
 * compacts the agent's default conversation exactly as the compact route compacts
 * {@code default} with that {@code agent_id} (same settings merge, errors, idempotency, dry run
 * and jobs). Letta's one difference on this route is kept: when the context holds only the system
 * message and a summary, the answer is {@code 200} with that summary's packed {@code message} and
 * the unchanged count, and no model is called. A context of the system message alone is still
 * the 400 "nothing to compact" (Letta's is a 400 too, from a validation error).
 */
final class SummarizeAgentRoute implements Route {
    static final String RESOURCE = "/v1/agents/{agent_id}/summarize";

    private final AgentStore agents;
    private final MessageStore conversations;
    private final CompactRoute compact;

    SummarizeAgentRoute(AgentStore agents, MessageStore conversations, CompactRoute compact) {
        this.agents = agents;
        this.conversations = conversations;
        this.compact = compact;
    }

    /** Letta's {@code CompactionResponse} when nothing was compacted. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Unchanged(String summary, int numMessagesBefore, int numMessagesAfter) {}

    @Override
    public ApiResponse handle(ApiRequest request, RequestContext context) {
        String agentId = PathIds.agentId(request);
        CompactRequest parsed = CompactRequest.parseForAgent(request, agentId);
        if (agents.findAgent(context.tenant(), agentId).isEmpty()) {
            throw new AgentNotFoundException(agentId);
        }
        Optional<String> summary = onlySystemAndSummary(context.tenant(), agentId);
        if (summary.isPresent()) {
            context.log().conversation(agentId).outcome("unchanged");
            return ApiResponse.json(200, new Unchanged(summary.get(), 2, 2));
        }
        return compact.handle(request, parsed, context);
    }

    /**
     * The summary's packed {@code message} (its raw text when it is not a packed alert) when the
     * context is the system message and a summary only. The head says so without reading messages.
     */
    private Optional<String> onlySystemAndSummary(String tenant, String conversationId) {
        Optional<ConversationHead> head = conversations.findConversation(tenant, conversationId);
        if (head.isEmpty() || head.get().summaryGen() == 0 || head.get().contextStartSeq() < head.get().nextSeq()) {
            return Optional.empty();
        }
        Snapshot snapshot = conversations.snapshot(tenant, conversationId);
        if (snapshot.summary() == null || !snapshot.tail().isEmpty()) {
            return Optional.empty();
        }
        StringBuilder text = new StringBuilder();
        for (ContentPart part : snapshot.summary().content()) {
            if (part instanceof ContentPart.Text t) {
                text.append(t.text());
            }
        }
        SummaryPackager.Unpacked unpacked = SummaryPackager.unpack(text.toString());
        return Optional.of(unpacked == null ? text.toString() : unpacked.message());
    }
}
