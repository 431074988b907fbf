package dev.compactor.conversation.dynamo;

import static dev.compactor.conversation.dynamo.Attr.n;
import static dev.compactor.conversation.dynamo.Attr.s;
import static dev.compactor.conversation.dynamo.Attr.str;

import dev.compactor.conversation.Agent;
import dev.compactor.conversation.Appended;
import dev.compactor.conversation.AgentNotFoundException;
import dev.compactor.conversation.AgentQuery;
import dev.compactor.conversation.Commit;
import dev.compactor.conversation.CommittedCall;
import dev.compactor.conversation.ConcurrentCompactionException;
import dev.compactor.conversation.ConversationFields;
import dev.compactor.conversation.ConversationHead;
import dev.compactor.conversation.ConversationNotFoundException;
import dev.compactor.conversation.ConversationQuery;
import dev.compactor.conversation.ConversationStore;
import dev.compactor.conversation.DueConversation;
import dev.compactor.conversation.DuePolicy;
import dev.compactor.conversation.DueState;
import dev.compactor.conversation.HistoryQuery;
import dev.compactor.conversation.IdempotencyClaim;
import dev.compactor.conversation.IdempotencyConflictException;
import dev.compactor.conversation.IdempotencyLease;
import dev.compactor.conversation.IdempotencyOutcome;
import dev.compactor.conversation.Ids;
import dev.compactor.conversation.JobNotRunningException;
import dev.compactor.conversation.LeaseHeartbeat;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.MessageStore;
import dev.compactor.conversation.MessageTooLargeException;
import dev.compactor.conversation.Reverted;
import dev.compactor.conversation.Role;
import dev.compactor.conversation.Snapshot;
import dev.compactor.conversation.SummaryRecord;
import dev.compactor.conversation.ToolCallPairing;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The conversation store on one DynamoDB table (layout in {@link Keys}).
 *
 * <p>The context is a pointer, not a list: system + the head's current summary + messages from
 * {@code context_start_seq}. A compaction therefore commits with one transaction of a fixed
 * number of writes (the summary record, its history marker, the head pointer guarded by the
 * generation it read, and the Idempotency-Key record when there is one) whatever the
 * conversation's length; appends only advance {@code next_seq}, so they never conflict with it
 * logically. The same transaction finishes the asynchronous job the compaction ran as and meters
 * the call, so none of these can be true without the others.
 */
public final class DynamoConversationStore implements ConversationStore {
    /** How far back an append looks for the tool calls its first tool results answer. */
    static final int TOOL_CALL_LOOKBACK = 100;
    private static final int COMMIT_HEAD_ACTION = 2;

    private final Table table;
    private final ToIntFunction<Message> tokenEstimator;
    private final DuePolicy duePolicy;
    private final Clock clock;
    private final DynamoHistory history;
    private final DynamoRevert revert;
    private final DynamoIdempotency idempotency;
    private final DynamoJobs jobs;
    private final DynamoUsage usage;
    private final DynamoDueIndex dueIndex;
    private final DynamoListing listing;
    private final KnownContexts knownContexts = new KnownContexts();

    /**
     * @param tokenEstimator estimates a message's tokens once, when it is stored
     * @param duePolicy when conversations enter the scheduled-compaction index
     */
    public DynamoConversationStore(DynamoDbClient dynamo, String tableName, ToIntFunction<Message> tokenEstimator,
                                   DuePolicy duePolicy, Clock clock) {
        this(dynamo, tableName, tokenEstimator, duePolicy, clock, IdempotencyLease.DEFAULT);
    }

    /** @param lease how running Idempotency-Key requests keep their claims */
    public DynamoConversationStore(DynamoDbClient dynamo, String tableName, ToIntFunction<Message> tokenEstimator,
                                   DuePolicy duePolicy, Clock clock, IdempotencyLease lease) {
        this.table = new Table(dynamo, tableName);
        this.tokenEstimator = tokenEstimator;
        this.duePolicy = duePolicy;
        this.clock = clock;
        this.history = new DynamoHistory(table);
        this.revert = new DynamoRevert(table, clock);
        this.idempotency = new DynamoIdempotency(table, clock, lease);
        this.jobs = new DynamoJobs(table, clock);
        this.usage = new DynamoUsage(table);
        this.dueIndex = new DynamoDueIndex(table, clock);
        this.listing = new DynamoListing(table);
    }

    // ---- agents -------------------------------------------------------------------------------

    @Override
    public Agent createAgent(String tenant, Agent agent) {
        List<TransactWriteItem> writes = new ArrayList<>(newConversationWrites(tenant, agent, agent.id(), ConversationFields.NONE,
                null));
        writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table.name).item(AgentItems.item(tenant, agent))
                .conditionExpression("attribute_not_exists(pk)").build()).build());
        table.transact(writes);
        return agent;
    }

    @Override
    public Optional<Agent> findAgent(String tenant, String agentId) {
        return table.get(Keys.agent(tenant, agentId), Keys.AGENT).filter(AgentItems::live).map(AgentItems::agent);
    }

    @Override
    public Agent updateAgent(String tenant, Agent agent) {
        try {
            table.dynamo.putItem(r -> r.tableName(table.name).item(AgentItems.item(tenant, agent))
                    .conditionExpression(AgentItems.LIVE));
        } catch (ConditionalCheckFailedException e) {
            throw new AgentNotFoundException(agent.id());
        }
        return agent;
    }

    @Override
    public List<Agent> listAgents(String tenant, AgentQuery query) {
        return listing.agents(tenant, query);
    }

    @Override
    public void deleteAgent(String tenant, String agentId) {
        if (findAgent(tenant, agentId).isEmpty()) {
            throw new AgentNotFoundException(agentId);
        }
        for (boolean hidden : new boolean[] {false, true}) {
            listing.agentConversationKeys(tenant, agentId, hidden, keys -> {
                for (Map<String, AttributeValue> key : keys) {
                    softDelete(tenant, Heads.conversationId(key));
                }
                return true;
            });
        }
        softDelete(tenant, agentId);
        try {
            table.dynamo.deleteItem(r -> r.tableName(table.name).key(Attr.key(Keys.agent(tenant, agentId), Keys.AGENT))
                    .conditionExpression("attribute_exists(pk)"));
        } catch (ConditionalCheckFailedException e) {
            throw new AgentNotFoundException(agentId);
        }
    }

    // ---- conversations ------------------------------------------------------------------------

    @Override
    public ConversationHead createConversation(String tenant, Agent agent, String conversationId) {
        table.transact(newConversationWrites(tenant, agent, conversationId, ConversationFields.NONE, false));
        return Heads.require(table, tenant, conversationId);
    }

    @Override
    public ConversationHead createConversation(String tenant, Agent agent, String conversationId, ConversationFields fields,
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
    private List<TransactWriteItem> newConversationWrites(String tenant, Agent agent, String conversationId, ConversationFields fields,
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

    @Override
    public Optional<ConversationHead> findConversation(String tenant, String conversationId) {
        return Heads.find(table, tenant, conversationId);
    }

    @Override
    public List<ConversationHead> listConversations(String tenant, ConversationQuery query) {
        return listing.conversations(tenant, query);
    }

    @Override
    public ConversationHead updateConversation(String tenant, String conversationId, ConversationFields fields, Agent effectiveAgent) {
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

    @Override
    public void deleteConversation(String tenant, String conversationId) {
        if (!softDelete(tenant, conversationId)) {
            throw new ConversationNotFoundException(conversationId);
        }
    }

    /** Marks the head deleted and takes it out of the listings and the due index; false when it was not there or already deleted. */
    private boolean softDelete(String tenant, String conversationId) {
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

    @Override
    public ConversationHead fork(String tenant, Snapshot source, List<Message> keep, Agent agent, String conversationId,
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
                        r.modeUsed(), r.model(), r.source(), r.promptHash(), r.tokens(), r.createdAt(), r.details());
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

    // ---- appends ------------------------------------------------------------------------------

    @Override
    public Appended appendMessages(String tenant, String conversationId, List<Message> messages) {
        if (messages.isEmpty()) {
            return new Appended(List.of(), Heads.require(table, tenant, conversationId));
        }
        if (messages.size() > MessageStore.MAX_APPEND) {
            throw new IllegalArgumentException("at most " + MessageStore.MAX_APPEND + " messages can be appended at once");
        }
        String pk = Keys.conversation(tenant, conversationId);
        for (int attempt = 1; ; attempt++) {
            ConversationHead head = Heads.require(table, tenant, conversationId);
            ToolCallPairing.check(ToolCallPairing.needsHistory(messages) ? openToolCalls(pk, head) : Set.of(), messages);
            Instant now = clock.instant();
            List<Message> stored = new ArrayList<>(messages.size());
            List<TransactWriteItem> writes = new ArrayList<>(messages.size() + 1);
            long added = 0;
            long batchBytes = 0;
            for (int i = 0; i < messages.size(); i++) {
                Message m = messages.get(i);
                int tokens = m.tokens() != null ? m.tokens() : tokenEstimator.applyAsInt(m);
                Message s = m.withStorage(Ids.newMessageId(), head.nextSeq() + i, m.createdAt() == null ? now : m.createdAt(), tokens);
                Map<String, AttributeValue> item = MessageItems.item(pk, s);
                long bytes = ItemSize.againstItemLimit(item);
                if (bytes > ItemSize.MAX_ITEM_BYTES) {
                    throw new MessageTooLargeException("Message " + i + " is " + bytes + " bytes even compressed; a stored message "
                            + "can be at most " + ItemSize.MAX_ITEM_BYTES + " bytes (DynamoDB's item limit).");
                }
                batchBytes += ItemSize.of(item);
                stored.add(s);
                added += tokens;
                writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table.name).item(item)
                        .conditionExpression("attribute_not_exists(sk)").build()).build());
            }
            if (batchBytes > ItemSize.MAX_TRANSACTION_BYTES - ItemSize.HEAD_UPDATE_BYTES) {
                throw new MessageTooLargeException("These messages are " + batchBytes + " bytes together even compressed; one append "
                        + "stores at most " + (ItemSize.MAX_TRANSACTION_BYTES - ItemSize.HEAD_UPDATE_BYTES)
                        + " bytes (DynamoDB's transaction limit less the conversation's head). "
                        + "Append them in several requests.");
            }
            Map<String, AttributeValue> values = new HashMap<>();
            values.put(":expected", n(head.nextSeq()));
            values.put(":seen_gen", n(head.compactionGen()));
            values.put(":next", n(head.nextSeq() + messages.size()));
            values.put(":tokens", n(added));
            values.put(":now", s(now.toString()));
            // A queued conversation stays queued: its compaction will account for these messages.
            DueState due = head.dueState() == DueState.QUEUED ? null
                    : DueState.stateFor(head.dueThreshold(), head.idleThreshold(), head.contextTokens() + added);
            writes.add(TransactWriteItem.builder().update(Update.builder().tableName(table.name).key(Attr.key(pk, Keys.HEAD))
                    .updateExpression(Heads.update("next_seq = :next, updated_at = :now", due, now, tenant, conversationId, values))
                    // The generation too: the token estimate and due state written here build on the head read above.
                    .conditionExpression("next_seq = :expected AND compaction_gen = :seen_gen AND " + Heads.LIVE)
                    .expressionAttributeValues(values).build()).build());
            try {
                table.transact(writes);
                return new Appended(stored, new ConversationHead(head.id(), head.agentId(), head.nextSeq() + messages.size(),
                        head.contextStartSeq(), head.compactionGen(), head.summaryGen(), head.contextTokens() + added,
                        head.contextWindow(), head.dueThreshold(), head.idleThreshold(), due == null ? head.dueState() : due,
                        head.createdAt(), now, head.fields()));
            } catch (TransactionCanceledException e) {
                // Another append took these sequence numbers, a compaction or revert moved the context (its head
                // update won), or a purge began: read the head again.
                boolean lostRace = "ConditionalCheckFailed".equals(Table.reason(e, messages.size())) || Table.contended(e);
                if (attempt >= Table.MAX_ATTEMPTS || !lostRace) {
                    throw e;
                }
                Table.backoff(attempt);
            }
        }
    }

    /** The tool calls of the latest message before {@code head.nextSeq()} that made any. */
    private Set<String> openToolCalls(String pk, ConversationHead head) {
        AtomicReference<Set<String>> open = new AtomicReference<>(Set.of());
        AtomicInteger seen = new AtomicInteger();
        table.range(pk, Keys.HISTORY_FROM, Keys.message(head.nextSeq() - 1), false, null, TOOL_CALL_LOOKBACK, item -> {
            if (Keys.isSummaryMarker(str(item, "sk"))) {
                return true;
            }
            Message m = MessageItems.message(item);
            if (!m.toolCalls().isEmpty()) {
                open.set(ToolCallPairing.callIds(m));
                return false;
            }
            return seen.incrementAndGet() < TOOL_CALL_LOOKBACK;
        });
        return open.get();
    }

    // ---- snapshot and commit ------------------------------------------------------------------

    @Override
    public Snapshot snapshot(String tenant, String conversationId) {
        String pk = Keys.conversation(tenant, conversationId);
        // The head and the system message in one round trip; the rest depends on the head.
        Map<String, Map<String, AttributeValue>> first = table.getAll(pk, List.of(Keys.HEAD, Keys.message(0)));
        if (!first.containsKey(Keys.HEAD) || !Heads.live(first.get(Keys.HEAD))) {
            throw new ConversationNotFoundException(conversationId);
        }
        ConversationHead head = Heads.head(first.get(Keys.HEAD));
        if (!first.containsKey(Keys.message(0))) {
            throw new IllegalStateException("conversation " + conversationId + " has no system message");
        }
        Message system = MessageItems.message(first.get(Keys.message(0)));
        SummaryRecord summaryRecord = head.summaryGen() > 0 ? DynamoHistory.record(table, pk, head.summaryGen()) : null;
        return new Snapshot(head, system, summaryRecord == null ? null : SummaryItems.message(summaryRecord), summaryRecord,
                tail(pk, head, true));
    }

    /**
     * The head's context at read units close to the bare Query of its range: the system message
     * and the summary record are never rewritten once stored, and neither are the range's messages,
     * so all are read eventually consistent (half the units), checked, and read again consistently
     * only when the check shows the replica lagging. The summary and system message come in a
     * BatchGetItem issued alongside the range's Query, since neither depends on the other.
     */
    @Override
    public Snapshot context(String tenant, ConversationHead head) {
        String pk = Keys.conversation(tenant, head.id());
        String summaryKey = Keys.summary(head.summaryGen());
        List<String> fixedKeys = head.summaryGen() > 0 ? List.of(Keys.message(0), summaryKey) : List.of(Keys.message(0));
        CompletableFuture<Map<String, Map<String, AttributeValue>>> fixed =
                CompletableFuture.supplyAsync(() -> immutableItems(pk, fixedKeys), Table.CONCURRENT);
        List<Message> tail = contextTail(pk, head, tail(pk, head, false));
        Map<String, Map<String, AttributeValue>> items = Table.join(fixed);
        if (items.size() < fixedKeys.size()) {
            // Only a purge removes these, and it removes the conversation.
            throw new ConversationNotFoundException(head.id());
        }
        SummaryRecord summaryRecord = head.summaryGen() > 0 ? SummaryItems.record(items.get(summaryKey)) : null;
        return remember(pk, head, MessageItems.message(items.get(Keys.message(0))), summaryRecord, tail);
    }

    /**
     * As {@link #context(String, ConversationHead)} of the head read now. When this container has
     * read the conversation's context before, the range's Query goes out while the head is read,
     * from the context start it saw then to the end of the history, and the system message and the
     * summary come from {@link KnownContexts} when the head still points at them: a warm read is
     * the head and the Query side by side, nothing else.
     *
     * <p>The head then decides, as for a lagging replica: of what the Query returned, the messages
     * of the head's range are kept, and if they are not all there (appended after the Query read,
     * a revert moved the start back, or the replica lags) the range is read again consistently. A
     * compaction in another container since moves the start forward, so the Query read the evicted
     * span once more than needed; the next read starts at the new start.
     *
     * @throws ConversationNotFoundException when there is no live conversation
     */
    @Override
    public Snapshot context(String tenant, String conversationId) {
        String pk = Keys.conversation(tenant, conversationId);
        KnownContexts.Known known = knownContexts.get(pk);
        if (known == null) {
            return context(tenant, Heads.require(table, tenant, conversationId));
        }
        CompletableFuture<List<Message>> early = CompletableFuture.supplyAsync(
                () -> tail(pk, known.contextStartSeq(), Keys.HISTORY_TO, false), Table.CONCURRENT);
        ConversationHead head;
        try {
            head = Heads.require(table, tenant, conversationId);
        } catch (ConversationNotFoundException e) {
            knownContexts.forget(pk);
            throw e;
        } finally {
            // Nothing is left running behind the answer, whatever the head says.
            early.exceptionally(failed -> List.of()).join();
        }
        if (!head.createdAt().equals(known.createdAt())) {
            knownContexts.forget(pk);
            return context(tenant, head);
        }
        List<Message> tail = contextTail(pk, head, Table.join(early).stream()
                .filter(m -> m.seq() >= head.contextStartSeq() && m.seq() < head.nextSeq()).toList());
        SummaryRecord summary = head.summaryGen() == known.summaryGen() ? known.summary()
                : head.summaryGen() > 0 ? summaryRecord(pk, head) : null;
        return remember(pk, head, known.system(), summary, tail);
    }

    private SummaryRecord summaryRecord(String pk, ConversationHead head) {
        String key = Keys.summary(head.summaryGen());
        Map<String, AttributeValue> item = immutableItems(pk, List.of(key)).get(key);
        if (item == null) {
            // Only a purge removes it, and it removes the conversation.
            throw new ConversationNotFoundException(head.id());
        }
        return SummaryItems.record(item);
    }

    /** The snapshot of {@code head}'s context, after noting what a next read of it can reuse. */
    private Snapshot remember(String pk, ConversationHead head, Message system, SummaryRecord summary, List<Message> tail) {
        knownContexts.put(pk, new KnownContexts.Known(head.createdAt(), head.contextStartSeq(), system, head.summaryGen(), summary));
        return new Snapshot(head, system, summary == null ? null : SummaryItems.message(summary), summary, tail);
    }

    /**
     * Items written once and never changed: an eventually consistent read returns each as stored
     * or not at all (a summary committed a moment ago may not have reached the replica yet); those
     * missing are read again consistently.
     */
    private Map<String, Map<String, AttributeValue>> immutableItems(String pk, List<String> sortKeys) {
        Map<String, Map<String, AttributeValue>> items = new HashMap<>(table.getAll(pk, sortKeys, false));
        List<String> missing = sortKeys.stream().filter(sk -> !items.containsKey(sk)).toList();
        if (!missing.isEmpty()) {
            items.putAll(table.getAll(pk, missing, true));
        }
        return items;
    }

    /**
     * {@code read}, the context range read eventually consistent, or the range read again
     * consistently if that missed any of it.
     *
     * <p>Why the check is enough: the head, read consistently, has {@code next_seq}, and the
     * transaction that advanced it past a sequence number also wrote that message, so every
     * sequence number in {@code [context_start_seq, next_seq)} has its message committed; messages
     * are never rewritten (retention stamps only evicted ones, outside this range, with an
     * attribute not read here), and each sequence number is one key. A lagging replica can
     * therefore only lack some of them, never hold another version: exactly
     * {@code next_seq - context_start_seq} messages means exactly the committed ones. Summary
     * markers among them are skipped either way, so a stale marker changes nothing. Fewer (an
     * append a moment ago, or a purge under way) costs the consistent Query the route made before.
     */
    private List<Message> contextTail(String pk, ConversationHead head, List<Message> read) {
        return read.size() == head.nextSeq() - head.contextStartSeq() ? read : tail(pk, head, true);
    }

    /** The messages {@code head}'s context holds after its summary: one Query over the context range. */
    private List<Message> tail(String pk, ConversationHead head, boolean consistent) {
        if (head.contextStartSeq() >= head.nextSeq()) {
            return List.of();
        }
        return tail(pk, head.contextStartSeq(), Keys.message(head.nextSeq() - 1), consistent);
    }

    /** The messages from sequence number {@code fromSeq} to sort key {@code to}, summary markers skipped: one Query, read ahead. */
    private List<Message> tail(String pk, long fromSeq, String to, boolean consistent) {
        List<Message> tail = new ArrayList<>();
        // Markers of summaries a revert took out of context sit among these messages.
        table.readAll(pk, Keys.message(fromSeq), to, consistent, item -> {
            if (!Keys.isSummaryMarker(str(item, "sk"))) {
                tail.add(MessageItems.message(item));
            }
        });
        return tail;
    }

    @Override
    public void commit(String tenant, String conversationId, Commit commit) {
        String pk = Keys.conversation(tenant, conversationId);
        SummaryRecord summary = commit.summary();
        Instant now = clock.instant();
        Map<String, AttributeValue> record = SummaryItems.record(pk, summary);
        long recordBytes = ItemSize.againstItemLimit(record);
        if (recordBytes > ItemSize.MAX_ITEM_BYTES) {
            throw new MessageTooLargeException("The summary is " + recordBytes + " bytes even compressed; at most "
                    + ItemSize.MAX_ITEM_BYTES + " can be stored. Set compaction_settings.clip_chars to clip it.");
        }
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":seen", n(commit.expectedGeneration()));
        values.put(":gen", n(summary.generation()));
        values.put(":start", n(commit.keptFromSeq()));
        values.put(":tokens", n(commit.contextTokenDelta()));
        values.put(":now", s(now.toString()));
        DueState due = DueState.stateFor(duePolicy.dueThreshold(commit.agent()), duePolicy.idleThreshold(commit.agent()),
                commit.contextTokens());
        String update = Heads.update("context_start_seq = :start, compaction_gen = :gen, summary_gen = :gen, updated_at = :now, "
                + Heads.thresholds(duePolicy, commit.agent(), values), due, now, tenant, conversationId, values);
        List<TransactWriteItem> writes = new ArrayList<>(List.of(
                TransactWriteItem.builder().put(Put.builder().tableName(table.name).item(record)
                        .conditionExpression("attribute_not_exists(sk)").build()).build(),
                TransactWriteItem.builder().put(Put.builder().tableName(table.name).item(SummaryItems.marker(pk, summary))
                        .conditionExpression("attribute_not_exists(sk)").build()).build(),
                TransactWriteItem.builder().update(Update.builder().tableName(table.name).key(Attr.key(pk, Keys.HEAD))
                        .updateExpression(update).conditionExpression("compaction_gen = :seen AND " + Heads.LIVE)
                        .expressionAttributeValues(values).build()).build()));
        int idempotencyAction = -1;
        if (commit.idempotency() != null) {
            idempotencyAction = writes.size();
            writes.add(idempotency.completion(commit.idempotency(), conversationId, now));
            writes.add(References.put(table.name, pk, DynamoIdempotency.partition(commit.idempotency().claim()), Keys.IDEMPOTENCY));
        }
        int jobAction = -1;
        if (commit.job() != null) {
            jobAction = writes.size();
            writes.add(jobs.completion(commit.job(), now));
        }
        if (commit.sdkCall() != null) {
            writes.add(idempotency.sdkCall(commit.sdkCall(), conversationId, summary.generation(), now));
            writes.add(References.put(table.name, pk, DynamoIdempotency.partition(commit.sdkCall()), Keys.IDEMPOTENCY));
        }
        if (commit.usage() != null) {
            writes.addAll(usage.writes(commit.usage()));
        }
        for (int attempt = 1; ; attempt++) {
            try {
                table.transact(writes);
                return;
            } catch (TransactionCanceledException e) {
                // A worker that lost its job must stop, whatever else changed meanwhile.
                if ("ConditionalCheckFailed".equals(Table.reason(e, jobAction))) {
                    throw new JobNotRunningException(commit.job().jobId());
                }
                if ("ConditionalCheckFailed".equals(Table.reason(e, COMMIT_HEAD_ACTION))) {
                    Heads.require(table, tenant, conversationId);
                    throw new ConcurrentCompactionException(conversationId);
                }
                if ("ConditionalCheckFailed".equals(Table.reason(e, idempotencyAction))) {
                    throw new IdempotencyConflictException("Another request with the same Idempotency-Key took over while this one ran; "
                            + "nothing was changed by this one.");
                }
                if (attempt >= Table.MAX_ATTEMPTS || !Table.contended(e)) {
                    throw e;
                }
                Table.backoff(attempt);
            }
        }
    }

    // ---- history, revert, idempotency ---------------------------------------------------------

    @Override
    public List<Message> history(String tenant, String conversationId, HistoryQuery query) {
        Heads.require(table, tenant, conversationId);
        return history.messages(Keys.conversation(tenant, conversationId), query);
    }

    @Override
    public List<SummaryRecord> compactions(String tenant, String conversationId, long after, int limit, boolean ascending) {
        Heads.require(table, tenant, conversationId);
        return history.summaries(Keys.conversation(tenant, conversationId), after, limit, ascending);
    }

    @Override
    public Reverted revert(String tenant, String conversationId, long generation) {
        return revert.revert(tenant, conversationId, generation);
    }

    @Override
    public IdempotencyOutcome claim(String tenant, String key, String fingerprint, Instant deadline) {
        return idempotency.claim(tenant, key, fingerprint, deadline);
    }

    @Override
    public void release(IdempotencyClaim claim) {
        idempotency.release(claim);
    }

    @Override
    public LeaseHeartbeat heartbeat(IdempotencyClaim claim) {
        return idempotency.heartbeat(claim);
    }

    @Override
    public Optional<CommittedCall> committedSdkCall(String tenant, String fingerprint) {
        return idempotency.committedSdkCall(tenant, fingerprint);
    }

    // ---- scheduled compaction -----------------------------------------------------------------

    @Override
    public void scanDue(DueState state, int shard, Instant before, int pageSize, Predicate<List<DueConversation>> eachPage) {
        dueIndex.scanDue(state, shard, before, pageSize, eachPage);
    }

    @Override
    public List<DueConversation> claimDue(List<DueConversation> entries) {
        return dueIndex.claimDue(entries);
    }
}
