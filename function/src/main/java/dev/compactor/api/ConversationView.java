package dev.compactor.api;

import dev.compactor.conversation.ConversationHead;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.Snapshot;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A conversation as Letta's {@code Conversation}, with the ids of its in-context messages, plus
 * (ours) where compaction left it: {@code compaction_generation} and the context's token estimate.
 */
final class ConversationView {
    private ConversationView() {}

    static Map<String, Object> of(Snapshot snapshot) {
        ConversationHead head = snapshot.head();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", head.id());
        out.put("agent_id", head.agentId());
        out.put("created_at", head.createdAt().toString());
        out.put("updated_at", head.updatedAt().toString());
        out.put("last_message_at", head.updatedAt().toString());
        out.put("summary", null);
        out.put("archived", false);
        out.put("in_context_message_ids", snapshot.inContext().stream().map(Message::id).toList());
        out.put("compaction_generation", head.compactionGen());
        out.put("context_token_estimate", head.contextTokens());
        return out;
    }
}
