package dev.compactor.conversation.dynamo;

import dev.compactor.conversation.Agent;
import dev.compactor.conversation.Appended;
import dev.compactor.conversation.AgentQuery;
import dev.compactor.conversation.Commit;
import dev.compactor.conversation.CompactionLease;
import dev.compactor.conversation.CommittedCall;
import dev.compactor.conversation.ConversationFields;
import dev.compactor.conversation.ConversationHead;
import dev.compactor.conversation.ConversationQuery;
import dev.compactor.conversation.ConversationStore;
import dev.compactor.conversation.DueConversation;
import dev.compactor.conversation.DuePolicy;
import dev.compactor.conversation.DueState;
import dev.compactor.conversation.HistoryQuery;
import dev.compactor.conversation.IdempotencyClaim;
import dev.compactor.conversation.LeaseRenewal;
import dev.compactor.conversation.IdempotencyOutcome;
import dev.compactor.conversation.LeaseHeartbeat;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.Reverted;
import dev.compactor.conversation.Snapshot;
import dev.compactor.conversation.SummaryRecord;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

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
    private final DynamoContexts contexts;

    /**
     * @param tokenEstimator estimates a message's tokens once, when it is stored
     * @param duePolicy when conversations enter the scheduled-compaction index
     */
    public DynamoConversationStore(DynamoDbClient dynamo, String tableName, ToIntFunction<Message> tokenEstimator,
                                   DuePolicy duePolicy, Clock clock) {
        this(dynamo, tableName, tokenEstimator, duePolicy, clock, LeaseRenewal.IDEMPOTENCY);
    }

    /** @param lease how running Idempotency-Key requests keep their claims */
    public DynamoConversationStore(DynamoDbClient dynamo, String tableName, ToIntFunction<Message> tokenEstimator,
                                   DuePolicy duePolicy, Clock clock, LeaseRenewal lease) {
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
        this.contexts = new DynamoContexts(table);
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
        return contexts.snapshot(tenant, conversationId);
    }

    @Override
    public Snapshot context(String tenant, ConversationHead head) {
        return contexts.context(tenant, head);
    }

    /** @see DynamoContexts#context(String, String) */
    @Override
    public Snapshot context(String tenant, String conversationId) {
        return contexts.context(tenant, conversationId);
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
    public boolean renewLease(String tenant, String conversationId, CompactionLease renewed) {
        return leases.renewLease(tenant, conversationId, renewed);
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
