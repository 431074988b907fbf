package dev.compactor.events;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * {@code Compaction Committed}: a compaction's commit.
 *
 * @param generation the conversation's compaction generation the commit created
 * @param mode the mode actually used ({@code sliding_window}, {@code all}, …)
 * @param model the model whose summary was committed ({@code local/extractive} for the offline one)
 * @param tokensAfter the context's estimate after the compaction, summary included
 * @param outcome always {@code committed}: only commits are published
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CompactionCommitted(String tenant, String conversationId, String agentId, long generation, Trigger trigger,
                                  String mode, int messagesBefore, int messagesAfter, long tokensBefore, long tokensAfter,
                                  String model, String outcome) implements ConversationEvent {
    public static final String DETAIL_TYPE = "Compaction Committed";

    public CompactionCommitted(String tenant, String conversationId, String agentId, long generation, Trigger trigger, String mode,
                               int messagesBefore, int messagesAfter, long tokensBefore, long tokensAfter, String model) {
        this(tenant, conversationId, agentId, generation, trigger, mode, messagesBefore, messagesAfter, tokensBefore, tokensAfter,
                model, "committed");
    }

    @Override
    public String detailType() {
        return DETAIL_TYPE;
    }
}
