package dev.compactor.events;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * {@code Compaction Reverted}: a revert's commit, always asked for through the API.
 *
 * @param generation the conversation's new compaction generation (a revert is counted like a compaction)
 * @param revertedGeneration the compaction undone
 * @param summaryGeneration the summary now in context, 0 for none
 * @param outcome always {@code reverted}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CompactionReverted(String tenant, String conversationId, String agentId, long generation, long revertedGeneration,
                                 long summaryGeneration, Trigger trigger, String outcome) implements ConversationEvent {
    public static final String DETAIL_TYPE = "Compaction Reverted";

    public CompactionReverted(String tenant, String conversationId, String agentId, long generation, long revertedGeneration,
                              long summaryGeneration) {
        this(tenant, conversationId, agentId, generation, revertedGeneration, summaryGeneration, Trigger.MANUAL, "reverted");
    }

    @Override
    public String detailType() {
        return DETAIL_TYPE;
    }
}
