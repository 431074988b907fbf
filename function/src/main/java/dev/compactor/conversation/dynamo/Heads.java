package dev.compactor.conversation.dynamo;

import static dev.compactor.conversation.dynamo.Attr.n;
import static dev.compactor.conversation.dynamo.Attr.num;
import static dev.compactor.conversation.dynamo.Attr.s;
import static dev.compactor.conversation.dynamo.Attr.str;

import dev.compactor.conversation.Agent;
import dev.compactor.conversation.ConversationHead;
import dev.compactor.conversation.ConversationNotFoundException;
import dev.compactor.conversation.DuePolicy;
import dev.compactor.conversation.DueState;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The conversation head item: reading it, and the due-index clauses of updates to it. */
final class Heads {
    /** Set on the head when its purge begins: from then on the conversation reads as not found. */
    static final String TOMBSTONE = "purge_started_at";
    /** The condition every write to a conversation carries on its head: it exists and no purge has begun. */
    static final String LIVE = "attribute_exists(pk) AND attribute_not_exists(" + TOMBSTONE + ")";

    private Heads() {}

    static ConversationHead require(Table table, String tenant, String conversationId) {
        return find(table, tenant, conversationId).orElseThrow(() -> new ConversationNotFoundException(conversationId));
    }

    /** The head, unless there is none or its purge has begun. */
    static Optional<ConversationHead> find(Table table, String tenant, String conversationId) {
        return table.get(Keys.conversation(tenant, conversationId), Keys.HEAD).filter(Heads::live).map(Heads::head);
    }

    static boolean live(Map<String, AttributeValue> item) {
        return !item.containsKey(TOMBSTONE);
    }

    static ConversationHead head(Map<String, AttributeValue> item) {
        return new ConversationHead(str(item, "conversation_id"), str(item, "agent_id"), num(item, "next_seq"),
                num(item, "context_start_seq"), num(item, "compaction_gen"), num(item, "summary_gen"),
                num(item, "ctx_tokens"), num(item, "due_threshold"), num(item, "idle_threshold"),
                DueState.ofPartition(str(item, "due_pk")), Instant.parse(str(item, "created_at")),
                Instant.parse(str(item, "updated_at")));
    }

    /**
     * An update expression of the head: {@code assignments} (a SET list), {@code ctx_tokens}
     * incremented by {@code :tokens}, and the conversation's due-index entry moved to {@code to}
     * as of {@code now} (null: left as it is); adds the due keys to {@code values}.
     */
    static String update(String assignments, DueState to, Instant now, String tenant, String conversationId,
                         Map<String, AttributeValue> values) {
        StringBuilder expression = new StringBuilder("SET ").append(assignments);
        if (to != null && to != DueState.NONE) {
            expression.append(", ").append(entry(to, now, tenant, conversationId, values));
        }
        expression.append(" ADD ctx_tokens :tokens");
        if (to == DueState.NONE) {
            expression.append(" REMOVE due_pk, due_sk");
        }
        return expression.toString();
    }

    /** The SET assignments placing the head in the index as {@code state} since {@code since}. */
    static String entry(DueState state, Instant since, String tenant, String conversationId, Map<String, AttributeValue> values) {
        values.put(":due_pk", s(Keys.duePartition(state, tenant, conversationId)));
        values.put(":due_sk", s(Keys.dueSortKey(state, since, tenant, conversationId)));
        return "due_pk = :due_pk, due_sk = :due_sk";
    }

    /** The SET assignments giving the head an agent's current thresholds. */
    static String thresholds(DuePolicy policy, Agent agent, Map<String, AttributeValue> values) {
        values.put(":due_threshold", n(policy.dueThreshold(agent)));
        values.put(":idle_threshold", n(policy.idleThreshold(agent)));
        return "due_threshold = :due_threshold, idle_threshold = :idle_threshold";
    }
}
