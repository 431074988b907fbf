package dev.compactor.conversation.dynamo;

import static dev.compactor.conversation.dynamo.Attr.n;
import static dev.compactor.conversation.dynamo.Attr.num;
import static dev.compactor.conversation.dynamo.Attr.s;
import static dev.compactor.conversation.dynamo.Attr.str;

import dev.compactor.conversation.Agent;
import dev.compactor.conversation.CompactionLease;
import dev.compactor.conversation.ConversationFields;
import dev.compactor.conversation.ConversationHead;
import dev.compactor.conversation.ConversationNotFoundException;
import dev.compactor.conversation.DuePolicy;
import dev.compactor.conversation.DueState;
import dev.compactor.conversation.ModelSettings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The conversation head item: reading it, and the due-index clauses of updates to it. A head
 * carrying {@code deleted_at} (Letta's soft delete) reads as no conversation at all, and every
 * write to a head is conditional on {@link #LIVE}.
 */
final class Heads {
    static final String DELETED_AT = "deleted_at";
    /** Set on the head when its purge begins: from then on the conversation reads as not found. */
    static final String TOMBSTONE = "purge_started_at";
    /**
     * The condition of every write to an existing head: it is there, not soft-deleted, and no purge
     * has begun.
     */
    static final String LIVE = "attribute_exists(pk) AND attribute_not_exists(" + DELETED_AT + ") AND attribute_not_exists("
            + TOMBSTONE + ")";

    private Heads() {}

    static ConversationHead require(Table table, String tenant, String conversationId) {
        return find(table, tenant, conversationId).orElseThrow(() -> new ConversationNotFoundException(conversationId));
    }

    /** The head, unless there is none, it is soft-deleted or its purge has begun. */
    static Optional<ConversationHead> find(Table table, String tenant, String conversationId) {
        return table.get(Keys.conversation(tenant, conversationId), Keys.HEAD).filter(Heads::live).map(Heads::head);
    }

    /** The conversation id in a head's table key. */
    static String conversationId(Map<String, AttributeValue> key) {
        String pk = str(key, "pk");
        return pk.substring(pk.lastIndexOf("#C#") + 3);
    }

    static boolean live(Map<String, AttributeValue> item) {
        return !item.containsKey(DELETED_AT) && !item.containsKey(TOMBSTONE);
    }

    static ConversationHead head(Map<String, AttributeValue> item) {
        return new ConversationHead(str(item, "conversation_id"), str(item, "agent_id"), num(item, "next_seq"),
                num(item, "context_start_seq"), num(item, "compaction_gen"), num(item, "summary_gen"),
                num(item, "ctx_tokens"), num(item, "context_window"), num(item, "due_threshold"), num(item, "idle_threshold"),
                DueState.ofPartition(str(item, "due_pk")), StoredInstant.parse(str(item, "created_at")),
                StoredInstant.parse(str(item, "updated_at")), fields(item), lease(item));
    }

    /** The head's compaction lease attributes (see {@link CompactionLease}); the commit removes them. */
    static final String LEASE_GEN = "lease_gen";
    static final String LEASE_BY = "lease_by";
    static final String LEASE_ID = "lease_id";
    /** Epoch milliseconds, so that the take's condition compares it as a number. */
    static final String LEASE_UNTIL = "lease_until";
    static final String LEASE_ATTRIBUTES = String.join(", ", LEASE_GEN, LEASE_BY, LEASE_ID, LEASE_UNTIL);

    private static CompactionLease lease(Map<String, AttributeValue> item) {
        String id = str(item, LEASE_ID);
        return id == null ? null : new CompactionLease(num(item, LEASE_GEN), CompactionLease.Holder.fromWire(str(item, LEASE_BY)), id,
                Instant.ofEpochMilli(num(item, LEASE_UNTIL)));
    }

    /** {@code update} (an expression from {@link #update}) also removing the head's compaction lease. */
    static String releasingLease(String update) {
        return update.contains(" REMOVE ") ? update + ", " + LEASE_ATTRIBUTES : update + " REMOVE " + LEASE_ATTRIBUTES;
    }

    private static ConversationFields fields(Map<String, AttributeValue> item) {
        AttributeValue archived = item.get("archived");
        String archivedAt = str(item, "archived_at");
        String settings = str(item, "conv_model_settings");
        return new ConversationFields(str(item, "conv_summary"), str(item, "description"), archived != null && archived.bool(),
                archivedAt == null ? null : Instant.parse(archivedAt), str(item, "conv_model"),
                settings == null ? null : ModelSettings.fromJson(settings),
                item.containsKey("context_window_limit") ? (int) num(item, "context_window_limit") : null);
    }

    /** The attributes holding {@code fields} on a new head; absent ones are left out. */
    static void putFields(Map<String, AttributeValue> item, ConversationFields fields) {
        fieldValues(fields).forEach((name, value) -> {
            if (value != null) {
                item.put(name, value);
            }
        });
    }

    /** SET and REMOVE clauses replacing the head's fields with {@code fields}, given {@code set} already SET by the caller. */
    static String fieldsUpdate(ConversationFields fields, List<String> set, Map<String, AttributeValue> values) {
        List<String> sets = new ArrayList<>(set);
        List<String> removes = new ArrayList<>();
        fieldValues(fields).forEach((name, value) -> {
            if (value == null) {
                removes.add(name);
            } else {
                values.put(":" + name, value);
                sets.add(name + " = :" + name);
            }
        });
        return "SET " + String.join(", ", sets) + (removes.isEmpty() ? "" : " REMOVE " + String.join(", ", removes));
    }

    private static Map<String, AttributeValue> fieldValues(ConversationFields f) {
        Map<String, AttributeValue> values = new LinkedHashMap<>();
        values.put("conv_summary", f.summary() == null ? null : s(f.summary()));
        values.put("description", f.description() == null ? null : s(f.description()));
        values.put("archived", f.archived() ? AttributeValue.fromBool(true) : null);
        values.put("archived_at", f.archivedAt() == null ? null : s(f.archivedAt().toString()));
        values.put("conv_model", f.model() == null ? null : s(f.model()));
        values.put("conv_model_settings", f.modelSettings() == null ? null : s(f.modelSettings().toJson()));
        values.put("context_window_limit", f.contextWindowLimit() == null ? null : n(f.contextWindowLimit()));
        return values;
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

    /** The SET assignments giving the head an agent's current context window and the thresholds taken from it. */
    static String thresholds(DuePolicy policy, Agent agent, Map<String, AttributeValue> values) {
        values.put(":context_window", n(agent.contextWindow()));
        values.put(":due_threshold", n(policy.dueThreshold(agent)));
        values.put(":idle_threshold", n(policy.idleThreshold(agent)));
        return "context_window = :context_window, due_threshold = :due_threshold, idle_threshold = :idle_threshold";
    }
}
