package dev.compactor.conversation;

import static dev.compactor.conversation.Attr.num;
import static dev.compactor.conversation.Attr.s;
import static dev.compactor.conversation.Attr.str;

import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The conversation head item: reading it, and the due-index clause of updates to it. */
final class Heads {
    private Heads() {}

    static ConversationHead require(Table table, String tenant, String conversationId) {
        return table.get(Keys.conversation(tenant, conversationId), Keys.HEAD).map(Heads::head)
                .orElseThrow(() -> new ConversationNotFoundException(conversationId));
    }

    static ConversationHead head(Map<String, AttributeValue> item) {
        return new ConversationHead(str(item, "conversation_id"), str(item, "agent_id"), num(item, "next_seq"),
                num(item, "context_start_seq"), num(item, "compaction_gen"), num(item, "summary_gen"),
                num(item, "ctx_tokens"), num(item, "due_threshold"), Instant.parse(str(item, "created_at")),
                Instant.parse(str(item, "updated_at")));
    }

    /** What an update does to the conversation's entry in the scheduled-compaction index. */
    enum Due { ENTER, KEEP, LEAVE }

    /**
     * An update expression of the head: {@code assignments} (a SET list), the due-index change,
     * and {@code ctx_tokens} incremented by {@code :tokens}; adds the due keys to {@code values}.
     */
    static String update(String assignments, Due due, String tenant, String conversationId, Map<String, AttributeValue> values) {
        StringBuilder expression = new StringBuilder("SET ").append(assignments);
        if (due == Due.ENTER) {
            values.put(":due_pk", s(Keys.dueShard(tenant, conversationId)));
            values.put(":due_sk", s(tenant + "#" + conversationId));
            expression.append(", due_pk = :due_pk, due_sk = :due_sk");
        }
        expression.append(" ADD ctx_tokens :tokens");
        if (due == Due.LEAVE) {
            expression.append(" REMOVE due_pk, due_sk");
        }
        return expression.toString();
    }

    /** Whether a context of {@code contextTokens} is due for compaction. */
    static boolean due(ConversationHead head, long contextTokens) {
        return head.dueThreshold() > 0 && contextTokens >= head.dueThreshold();
    }
}
