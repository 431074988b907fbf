package dev.compactor.conversation.dynamo;

import static dev.compactor.conversation.dynamo.Attr.n;
import static dev.compactor.conversation.dynamo.Attr.s;
import static dev.compactor.conversation.dynamo.Attr.str;

import dev.compactor.conversation.Agent;
import dev.compactor.conversation.AgentNotFoundException;
import dev.compactor.conversation.ConversationFields;
import dev.compactor.conversation.ConversationHead;
import dev.compactor.conversation.ConversationNotFoundException;
import dev.compactor.conversation.DuePolicy;
import dev.compactor.conversation.Ids;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.Role;
import dev.compactor.conversation.Snapshot;
import dev.compactor.conversation.SummaryRecord;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** Conversations' heads as clients shape them: created (with their system message), forked, updated, soft-deleted. */
final class DynamoConversations {
    private final Table table;
    private final ToIntFunction<Message> tokenEstimator;
    private final DuePolicy duePolicy;
    private final Clock clock;

    DynamoConversations(Table table, ToIntFunction<Message> tokenEstimator, DuePolicy duePolicy, Clock clock) {
        this.table = table;
        this.tokenEstimator = tokenEstimator;
        this.duePolicy = duePolicy;
        this.clock = clock;
    }

    ConversationHead createConversation(String tenant, Agent agent, String conversationId) {
        table.transact(newConversationWrites(tenant, agent, conversationId, ConversationFields.NONE, false));
        return Heads.require(table, tenant, conversationId);
    }

    ConversationHead createConversation(String tenant, Agent agent, String conversationId, ConversationFields fields,
                                               boolean hidden) {
        List<TransactWriteItem> writes = new ArrayList<>(newConversationWrites(tenant, agent, conversationId,
                fields, hidden));
        writes.add(agentExists(tenant, agent.id()));
        try {
            table.transact(writes);
        } catch (TransactionCanceledException e) {
            if ("ConditionalCheckFailed".equals(Table.reason(e, writes.size() - 1))) {
                throw new AgentNotFoundException(agent.id());
            }
            throw e;
        }
        return Heads.require(table, tenant, conversationId);
    }

    /** A transaction's check that the agent is still there: no conversation is created after its agent's delete or purge began. */
    private TransactWriteItem agentExists(String tenant, String agentId) {
        return TransactWriteItem.builder().conditionCheck(ConditionCheck.builder().tableName(table.name)
                .key(Attr.key(Keys.agent(tenant, agentId), Keys.AGENT)).conditionExpression(AgentItems.LIVE).build()).build();
    }

    /** The new conversation's entry in its agent's partition, where the agent's purge finds it. */
    private TransactWriteItem agentEntry(String tenant, String agentId, String conversationId) {
        return TransactWriteItem.builder().put(Put.builder().tableName(table.name)
                .item(AgentItems.conversationEntry(tenant, agentId, conversationId)).build()).build();
    }

    /**
     * A new head and its system message (the agent's prompt).
     *
     * @param hidden whether the conversation is left out of listings; null for an agent's default
     *     conversation, which no listing has
     */
    List<TransactWriteItem> newConversationWrites(String tenant, Agent agent, String conversationId, ConversationFields fields,
                                                          Boolean hidden) {
        Instant now = clock.instant();
        Message system = Message.text(Role.SYSTEM, agent.system() == null ? "" : agent.system());
        int systemTokens = tokenEstimator.applyAsInt(system);
        system = system.withStorage(Ids.newMessageId(), 0, now, systemTokens);
        String pk = Keys.conversation(tenant, conversationId);
        Map<String, AttributeValue> head = newHead(tenant, fields.over(agent), conversationId, fields, hidden, now, 1, systemTokens);
        List<TransactWriteItem> writes = new ArrayList<>(List.of(
                TransactWriteItem.builder().put(Put.builder().tableName(table.name).item(head)
                        .conditionExpression("attribute_not_exists(pk)").build()).build(),
                TransactWriteItem.builder().put(Put.builder().tableName(table.name).item(MessageItems.item(pk, system))
                        .build()).build()));
        if (hidden != null) {
            writes.add(agentEntry(tenant, agent.id(), conversationId));
        }
        return writes;
    }

    /** A head whose context is {@code [contextStartSeq, nextSeq)} with no summary; thresholds from {@code effectiveAgent}. */
    private Map<String, AttributeValue> newHead(String tenant, Agent effectiveAgent, String conversationId, ConversationFields fields,
                                                Boolean hidden, Instant now, long nextSeq, long contextTokens) {
        String pk = Keys.conversation(tenant, conversationId);
        Map<String, AttributeValue> head = new HashMap<>();
        head.put("pk", s(pk));
        head.put("sk", s(Keys.HEAD));
        head.put("tenant", s(tenant));
        head.put("conversation_id", s(conversationId));
        head.put("agent_id", s(effectiveAgent.id()));
        head.put("next_seq", n(nextSeq));
        head.put("context_start_seq", n(1));
        head.put("compaction_gen", n(0));
        head.put("summary_gen", n(0));
        head.put("ctx_tokens", n(contextTokens));
        head.put("context_window", n(effectiveAgent.contextWindow()));
        head.put("due_threshold", n(duePolicy.dueThreshold(effectiveAgent)));
        head.put("idle_threshold", n(duePolicy.idleThreshold(effectiveAgent)));
        head.put("created_at", s(now.toString()));
        head.put("updated_at", s(now.toString()));
        Heads.putFields(head, fields);
        if (hidden != null) {
            String sortKey = Keys.listSortKey(now, conversationId);
            if (!hidden) {
                head.put("list_pk", s(Keys.conversationsListing(tenant)));
                head.put("list_sk", s(sortKey));
            }
            head.put("agent_list_pk", s(Keys.agentConversationsListing(tenant, effectiveAgent.id(), hidden)));
            head.put("agent_list_sk", s(sortKey));
        }
        return head;
    }

    ConversationHead updateConversation(String tenant, String conversationId, ConversationFields fields, Agent effectiveAgent) {
        Map<String, AttributeValue> values = new HashMap<>();
        String update = Heads.fieldsUpdate(fields, List.of(Heads.thresholds(duePolicy, effectiveAgent, values)), values);
        try {
            return Heads.head(table.dynamo.updateItem(r -> r.tableName(table.name).key(Attr.key(Keys.conversation(tenant, conversationId),
                    Keys.HEAD)).updateExpression(update).conditionExpression(Heads.LIVE).expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW)).attributes());
        } catch (ConditionalCheckFailedException e) {
            throw new ConversationNotFoundException(conversationId);
        }
    }

    void deleteConversation(String tenant, String conversationId) {
        if (!softDelete(tenant, conversationId)) {
            throw new ConversationNotFoundException(conversationId);
        }
    }

    /** Marks the head deleted and takes it out of the listings and the due index; false when it was not there or already deleted. */
    boolean softDelete(String tenant, String conversationId) {
        try {
            table.dynamo.updateItem(r -> r.tableName(table.name).key(Attr.key(Keys.conversation(tenant, conversationId), Keys.HEAD))
                    .updateExpression("SET " + Heads.DELETED_AT + " = :now REMOVE list_pk, list_sk, agent_list_pk, agent_list_sk, "
                            + "due_pk, due_sk")
                    .conditionExpression(Heads.LIVE).expressionAttributeValues(Map.of(":now", s(clock.instant().toString()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    ConversationHead fork(String tenant, Snapshot source, List<Message> keep, Agent agent, String conversationId,
                                 ConversationFields fields, boolean hidden) {
        Instant now = clock.instant();
        String pk = Keys.conversation(tenant, conversationId);
        Message system = Message.text(Role.SYSTEM, agent.system() == null ? "" : agent.system());
        int systemTokens = tokenEstimator.applyAsInt(system);
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        items.add(MessageItems.item(pk, system.withStorage(Ids.newMessageId(), 0, now, systemTokens)));
        SummaryRecord summary = null;
        long tokens = systemTokens;
        long seq = 1;
        for (Message m : keep) {
            if (source.summary() != null && m.id().equals(source.summary().id())) {
                SummaryRecord r = source.summaryRecord();
                // The fork starts its own lineage: generation 1, covering none of its messages.
                summary = new SummaryRecord(1, 0, r.messageId(), r.packedText(), r.summary(), 1, 0, 1, r.modeRequested(),
                        r.modeUsed(), r.model(), r.source(), r.promptHash(), r.tokens(), r.createdAt(), r.details(), r.trigger());
                tokens += r.tokens();
            } else {
                items.add(MessageItems.item(pk, m.withStorage(m.id(), seq++, m.createdAt(), m.tokens())));
                tokens += m.tokens();
            }
        }
        // The messages first: until the head exists they belong to no conversation, so a crash leaves nothing visible.
        table.putAll(items);
        Map<String, AttributeValue> head = newHead(tenant, fields.over(agent), conversationId, fields, hidden, now, seq, tokens);
        List<TransactWriteItem> writes = new ArrayList<>();
        if (summary != null) {
            head.put("compaction_gen", n(1));
            head.put("summary_gen", n(1));
            writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table.name).item(SummaryItems.record(pk, summary))
                    .build()).build());
            writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table.name).item(SummaryItems.marker(pk, summary))
                    .build()).build());
        }
        writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table.name).item(head)
                .conditionExpression("attribute_not_exists(pk)").build()).build());
        writes.add(agentEntry(tenant, agent.id(), conversationId));
        writes.add(agentExists(tenant, agent.id()));
        try {
            table.transact(writes);
        } catch (TransactionCanceledException e) {
            if ("ConditionalCheckFailed".equals(Table.reason(e, writes.size() - 1))) {
                // Without a head the messages belong to nothing: take them back rather than leave text no purge finds.
                table.deleteAll(items.stream().map(item -> Attr.key(str(item, "pk"), str(item, "sk"))).toList());
                throw new AgentNotFoundException(agent.id());
            }
            throw e;
        }
        return Heads.require(table, tenant, conversationId);
    }
}
