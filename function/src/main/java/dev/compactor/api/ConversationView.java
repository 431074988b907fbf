package dev.compactor.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.compactor.conversation.ConversationHead;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.Snapshot;
import java.util.List;

/**
 * A conversation as Letta's {@code Conversation}, with the ids of its in-context messages, plus
 * (ours) where compaction left it: {@code compaction_generation} and the context's token estimate.
 */
@JsonPropertyOrder({"id", "agent_id", "created_at", "updated_at", "last_message_at", "summary", "archived",
        "in_context_message_ids", "compaction_generation", "context_token_estimate"})
record ConversationView(
        String id,
        @JsonProperty("agent_id") String agentId,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("updated_at") String updatedAt,
        @JsonProperty("last_message_at") String lastMessageAt,
        String summary,
        boolean archived,
        @JsonProperty("in_context_message_ids") List<String> inContextMessageIds,
        @JsonProperty("compaction_generation") long compactionGeneration,
        @JsonProperty("context_token_estimate") long contextTokenEstimate) {

    static ConversationView of(Snapshot snapshot) {
        ConversationHead head = snapshot.head();
        return new ConversationView(head.id(), head.agentId(), head.createdAt().toString(), head.updatedAt().toString(),
                head.updatedAt().toString(), null, false, snapshot.inContext().stream().map(Message::id).toList(),
                head.compactionGen(), head.contextTokens());
    }
}
