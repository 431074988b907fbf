package dev.compactor.conversation.dynamo;

import static dev.compactor.conversation.dynamo.Attr.s;
import static dev.compactor.conversation.dynamo.Attr.str;

import dev.compactor.conversation.Agent;
import dev.compactor.conversation.Appended;
import dev.compactor.conversation.AgentQuery;
import dev.compactor.conversation.Commit;
import dev.compactor.conversation.CompactionLease;
import dev.compactor.conversation.CommittedCall;
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
import dev.compactor.conversation.IdempotencyLease;
import dev.compactor.conversation.IdempotencyOutcome;
import dev.compactor.conversation.LeaseHeartbeat;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.Reverted;
import dev.compactor.conversation.Snapshot;
import dev.compactor.conversation.SummaryRecord;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

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

    private final Table table;
    private final DynamoAgents agents;
    private final DynamoConversations conversations;
    private final DynamoAppends appends;
    private final DynamoCommits commits;
    private final DynamoLeases leases;
    private final DynamoHistory history;
    private final DynamoRevert revert;
    private final DynamoIdempotency idempotency;
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
        this.history = new DynamoHistory(table);
        this.revert = new DynamoRevert(table, clock);
        this.idempotency = new DynamoIdempotency(table, clock, lease);
        this.dueIndex = new DynamoDueIndex(table, clock);
        this.listing = new DynamoListing(table);
        this.conversations = new DynamoConversations(table, tokenEstimator, duePolicy, clock);
        this.agents = new DynamoAgents(table, listing, conversations);
        this.appends = new DynamoAppends(table, tokenEstimator, clock);
        this.commits = new DynamoCommits(table, duePolicy, clock, idempotency, new DynamoJobs(table, clock), new DynamoUsage(table));
        this.leases = new DynamoLeases(table, clock);
    }

    // ---- agents -------------------------------------------------------------------------------

    @Override
    public Agent createAgent(String tenant, Agent agent) {
        return agents.createAgent(tenant, agent);
    }

    @Override
    public Optional<Agent> findAgent(String tenant, String agentId) {
        return agents.findAgent(tenant, agentId);
    }

    @Override
    public Agent updateAgent(String tenant, Agent agent) {
        return agents.updateAgent(tenant, agent);
    }

    @Override
    public List<Agent> listAgents(String tenant, AgentQuery query) {
        return agents.listAgents(tenant, query);
    }

    @Override
    public void deleteAgent(String tenant, String agentId) {
        agents.deleteAgent(tenant, agentId);
    }

    // ---- conversations ------------------------------------------------------------------------

    @Override
    public ConversationHead createConversation(String tenant, Agent agent, String conversationId) {
        return conversations.createConversation(tenant, agent, conversationId);
    }

    @Override
    public ConversationHead createConversation(String tenant, Agent agent, String conversationId, ConversationFields fields,
                                               boolean hidden) {
        return conversations.createConversation(tenant, agent, conversationId, fields, hidden);
    }

    @Override
    public ConversationHead updateConversation(String tenant, String conversationId, ConversationFields fields, Agent effectiveAgent) {
        return conversations.updateConversation(tenant, conversationId, fields, effectiveAgent);
    }

    @Override
    public void deleteConversation(String tenant, String conversationId) {
        conversations.deleteConversation(tenant, conversationId);
    }

    @Override
    public ConversationHead fork(String tenant, Snapshot source, List<Message> keep, Agent agent, String conversationId,
                                 ConversationFields fields, boolean hidden) {
        return conversations.fork(tenant, source, keep, agent, conversationId, fields, hidden);
    }

    @Override
    public Optional<ConversationHead> findConversation(String tenant, String conversationId) {
        return Heads.find(table, tenant, conversationId);
    }

    @Override
    public List<ConversationHead> listConversations(String tenant, ConversationQuery query) {
        return listing.conversations(tenant, query);
    }

    // ---- appends ------------------------------------------------------------------------------

    @Override
    public Appended appendMessages(String tenant, String conversationId, List<Message> messages) {
        return appends.appendMessages(tenant, conversationId, messages);
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
        commits.commit(tenant, conversationId, commit);
    }

    @Override
    public void answer(String tenant, String conversationId, Commit answered) {
        commits.answer(tenant, conversationId, answered);
    }

    @Override
    public Optional<SummaryRecord> summaryRecord(String tenant, String conversationId, long generation) {
        return commits.summaryRecord(tenant, conversationId, generation);
    }

    // ---- compaction leases --------------------------------------------------------------------

    @Override
    public Optional<CompactionLease> takeLease(String tenant, String conversationId, CompactionLease lease) {
        return leases.takeLease(tenant, conversationId, lease);
    }

    @Override
    public void releaseLease(String tenant, String conversationId, CompactionLease lease) {
        leases.releaseLease(tenant, conversationId, lease);
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
