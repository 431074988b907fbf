package dev.compactor.events;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * {@code Conversation Purged}: every item of a conversation deleted ({@code DELETE …?purge=true}).
 *
 * @param generation the compaction generation the conversation had when its head was tombstoned
 * @param itemsDeleted the items the purge removed (messages, summaries, head, records)
 * @param outcome always {@code purged}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ConversationPurged(String tenant, String conversationId, String agentId, long generation, long itemsDeleted,
                                 Trigger trigger, String outcome) implements ConversationEvent {
    public static final String DETAIL_TYPE = "Conversation Purged";

    public ConversationPurged(String tenant, String conversationId, String agentId, long generation, long itemsDeleted) {
        this(tenant, conversationId, agentId, generation, itemsDeleted, Trigger.MANUAL, "purged");
    }

    @Override
    public String detailType() {
        return DETAIL_TYPE;
    }
}
