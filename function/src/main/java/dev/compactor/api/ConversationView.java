package dev.compactor.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.compactor.conversation.ConversationFields;
import dev.compactor.conversation.ConversationHead;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.ModelSettings;
import dev.compactor.conversation.Snapshot;
import java.util.List;

/**
 * A conversation as Letta's {@code Conversation}, with the ids of its in-context messages (null in
 * lists: the SDK's "not retrieved"), plus (ours) where compaction left it:
 * {@code compaction_generation} and the context's token estimate.
 */
@JsonPropertyOrder({"id", "agent_id", "created_at", "updated_at", "last_message_at", "summary", "description", "archived",
        "archived_at", "model", "model_settings", "context_window_limit", "in_context_message_ids", "compaction_generation",
        "context_token_estimate"})
record ConversationView(
        String id,
        @JsonProperty("agent_id") String agentId,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("updated_at") String updatedAt,
        @JsonProperty("last_message_at") String lastMessageAt,
        String summary,
        String description,
        boolean archived,
        @JsonProperty("archived_at") String archivedAt,
        String model,
        @JsonProperty("model_settings") ModelSettings modelSettings,
        @JsonProperty("context_window_limit") Integer contextWindowLimit,
        @JsonProperty("in_context_message_ids") List<String> inContextMessageIds,
        @JsonProperty("compaction_generation") long compactionGeneration,
        @JsonProperty("context_token_estimate") long contextTokenEstimate) {

    static ConversationView of(Snapshot snapshot) {
        return of(snapshot.head(), snapshot.inContext().stream().map(Message::id).toList());
    }

    /** A conversation as lists show it, without reading its context. */
    static ConversationView listed(ConversationHead head) {
        return of(head, null);
    }

    private static ConversationView of(ConversationHead head, List<String> inContext) {
        ConversationFields f = head.fields();
        return new ConversationView(head.id(), head.agentId(), head.createdAt().toString(), head.updatedAt().toString(),
                head.updatedAt().toString(), f.summary(), f.description(), f.archived(),
                f.archivedAt() == null ? null : f.archivedAt().toString(), f.model(), f.modelSettings(), f.contextWindowLimit(),
                inContext, head.compactionGen(), head.contextTokens());
    }
}
