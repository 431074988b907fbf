package dev.compactor.conversation;

import dev.compactor.json.Json;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.ToIntFunction;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The conversation store on one DynamoDB table.
 *
 * <p>Layout (one partition per conversation, keys prefixed by tenant):
 * <pre>
 *   T#{tenant}#A#{agentId}   AGENT              the agent
 *   T#{tenant}#C#{convId}    HEAD               counters: next_seq, context_start_seq, compaction_gen, …
 *   T#{tenant}#C#{convId}    MSG#{seq:012}      one message (seq 0 is the system message)
 *   T#{tenant}#C#{convId}    SUM#{gen:08}       one summary generation with its lineage
 * </pre>
 * The context is a pointer, not a list: system + the head's current summary + messages from
 * {@code context_start_seq}. A compaction therefore commits with two writes (put the summary,
 * move the pointer on condition of the generation it read) whatever the conversation's length,
 * and appends only touch {@code next_seq}, so they never conflict with it logically.
 */
public final class DynamoConversationStore implements ConversationStore {
    static final String HEAD = "HEAD";
    static final String AGENT = "AGENT";
    static final int DUE_SHARDS = 16;
    /** TransactWriteItems takes 100 actions; one is the head update. */
    public static final int MAX_APPEND = 99;
    private static final int MAX_ATTEMPTS = 40;

    private final DynamoDbClient dynamo;
    private final String table;
    private final ToIntFunction<Message> tokenEstimator;
    private final double dueFraction;
    private final Clock clock;

    /**
     * @param tokenEstimator estimates a message's tokens once, when it is stored
     * @param dueFraction share of the agent's context window at which a conversation becomes due
     *     for scheduled compaction
     */
    public DynamoConversationStore(DynamoDbClient dynamo, String table, ToIntFunction<Message> tokenEstimator,
                                   double dueFraction, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.tokenEstimator = tokenEstimator;
        this.dueFraction = dueFraction;
        this.clock = clock;
    }

    // ---- agents -------------------------------------------------------------------------------

    @Override
    public Agent createAgent(String tenant, Agent agent) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", s(agentPk(tenant, agent.id())));
        item.put("sk", s(AGENT));
        item.put("tenant", s(tenant));
        item.put("agent_id", s(agent.id()));
        putString(item, "name", agent.name());
        putString(item, "model", agent.model());
        item.put("context_window", n(agent.contextWindow()));
        putString(item, "system", agent.system());
        putString(item, "timezone", agent.timezone());
        if (agent.compactionSettings() != null) {
            item.put("compaction_settings", s(Json.write(agent.compactionSettings())));
        }
        item.put("created_at", s(agent.createdAt().toString()));
        List<TransactWriteItem> writes = new ArrayList<>(newConversationWrites(tenant, agent, agent.id()));
        writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
                .conditionExpression("attribute_not_exists(pk)").build()).build());
        dynamo.transactWriteItems(r -> r.transactItems(writes));
        return agent;
    }

    @Override
    public Optional<Agent> findAgent(String tenant, String agentId) {
        GetItemResponse got = dynamo.getItem(r -> r.tableName(table).consistentRead(true)
                .key(key(agentPk(tenant, agentId), AGENT)));
        if (!got.hasItem() || got.item().isEmpty()) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = got.item();
        return Optional.of(new Agent(str(item, "agent_id"), str(item, "name"), str(item, "model"),
                (int) num(item, "context_window"), str(item, "system"), str(item, "timezone"),
                item.containsKey("compaction_settings") ? Json.parseObject(str(item, "compaction_settings")) : null,
                Instant.parse(str(item, "created_at"))));
    }

    // ---- conversations ------------------------------------------------------------------------

    @Override
    public ConversationHead createConversation(String tenant, Agent agent, String conversationId) {
        List<TransactWriteItem> writes = newConversationWrites(tenant, agent, conversationId);
        dynamo.transactWriteItems(r -> r.transactItems(writes));
        return findConversation(tenant, conversationId).orElseThrow();
    }

    private List<TransactWriteItem> newConversationWrites(String tenant, Agent agent, String conversationId) {
        Instant now = clock.instant();
        Message system = Message.text(Role.SYSTEM, agent.system() == null ? "" : agent.system());
        int systemTokens = tokenEstimator.applyAsInt(system);
        system = system.withStorage(Ids.newMessageId(), 0, now, systemTokens);
        String pk = conversationPk(tenant, conversationId);
        Map<String, AttributeValue> head = new HashMap<>();
        head.put("pk", s(pk));
        head.put("sk", s(HEAD));
        head.put("tenant", s(tenant));
        head.put("conversation_id", s(conversationId));
        head.put("agent_id", s(agent.id()));
        head.put("next_seq", n(1));
        head.put("context_start_seq", n(1));
        head.put("compaction_gen", n(0));
        head.put("summary_gen", n(0));
        head.put("ctx_tokens", n(systemTokens));
        head.put("due_threshold", n((long) Math.floor(agent.contextWindow() * dueFraction)));
        head.put("created_at", s(now.toString()));
        head.put("updated_at", s(now.toString()));
        return List.of(
                TransactWriteItem.builder().put(Put.builder().tableName(table).item(head)
                        .conditionExpression("attribute_not_exists(pk)").build()).build(),
                TransactWriteItem.builder().put(Put.builder().tableName(table).item(messageItem(pk, system))
                        .build()).build());
    }

    @Override
    public Optional<ConversationHead> findConversation(String tenant, String conversationId) {
        return readHead(conversationPk(tenant, conversationId)).map(DynamoConversationStore::head);
    }

    private Optional<Map<String, AttributeValue>> readHead(String pk) {
        GetItemResponse got = dynamo.getItem(r -> r.tableName(table).consistentRead(true).key(key(pk, HEAD)));
        return got.hasItem() && !got.item().isEmpty() ? Optional.of(got.item()) : Optional.empty();
    }

    private static ConversationHead head(Map<String, AttributeValue> item) {
        return new ConversationHead(str(item, "conversation_id"), str(item, "agent_id"), num(item, "next_seq"),
                num(item, "context_start_seq"), num(item, "compaction_gen"), num(item, "summary_gen"),
                num(item, "ctx_tokens"), num(item, "due_threshold"), Instant.parse(str(item, "created_at")));
    }

    // ---- appends ------------------------------------------------------------------------------

    @Override
    public List<Message> append(String tenant, String conversationId, List<Message> messages) {
        if (messages.isEmpty()) {
            return List.of();
        }
        if (messages.size() > MAX_APPEND) {
            throw new IllegalArgumentException("at most " + MAX_APPEND + " messages can be appended at once");
        }
        String pk = conversationPk(tenant, conversationId);
        for (int attempt = 1; ; attempt++) {
            ConversationHead head = readHead(pk).map(DynamoConversationStore::head)
                    .orElseThrow(() -> new ConversationNotFoundException(conversationId));
            Instant now = clock.instant();
            List<Message> stored = new ArrayList<>(messages.size());
            List<TransactWriteItem> writes = new ArrayList<>(messages.size() + 1);
            long added = 0;
            for (int i = 0; i < messages.size(); i++) {
                Message m = messages.get(i);
                int tokens = m.tokens() != null ? m.tokens() : tokenEstimator.applyAsInt(m);
                Message s = m.withStorage(Ids.newMessageId(), head.nextSeq() + i, m.createdAt() == null ? now : m.createdAt(), tokens);
                stored.add(s);
                added += tokens;
                writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table).item(messageItem(pk, s))
                        .conditionExpression("attribute_not_exists(sk)").build()).build());
            }
            boolean due = head.dueThreshold() > 0 && head.contextTokens() + added >= head.dueThreshold();
            Map<String, AttributeValue> values = new HashMap<>();
            values.put(":expected", n(head.nextSeq()));
            values.put(":next", n(head.nextSeq() + messages.size()));
            values.put(":added", n(added));
            values.put(":now", s(now.toString()));
            String expression = "SET next_seq = :next, updated_at = :now";
            if (due) {
                expression += ", due_pk = :due_pk, due_sk = :due_sk";
                values.put(":due_pk", s(dueShard(tenant, conversationId)));
                values.put(":due_sk", s(tenant + "#" + conversationId));
            }
            String update = expression + " ADD ctx_tokens :added";
            writes.add(TransactWriteItem.builder().update(Update.builder().tableName(table).key(key(pk, HEAD))
                    .updateExpression(update).conditionExpression("next_seq = :expected")
                    .expressionAttributeValues(values).build()).build());
            try {
                dynamo.transactWriteItems(r -> r.transactItems(writes));
                return stored;
            } catch (TransactionCanceledException e) {
                if (attempt >= MAX_ATTEMPTS || !retryable(e)) {
                    throw e;
                }
                backoff(attempt);
            }
        }
    }

    // ---- snapshot and commit ------------------------------------------------------------------

    @Override
    public Snapshot snapshot(String tenant, String conversationId) {
        String pk = conversationPk(tenant, conversationId);
        ConversationHead head = readHead(pk).map(DynamoConversationStore::head)
                .orElseThrow(() -> new ConversationNotFoundException(conversationId));
        Message system = readMessage(pk, 0);
        SummaryRecord summaryRecord = head.summaryGen() > 0 ? readSummary(pk, head.summaryGen()) : null;
        List<Message> tail = new ArrayList<>();
        if (head.contextStartSeq() < head.nextSeq()) {
            Map<String, AttributeValue> values = Map.of(":pk", s(pk), ":from", s(messageSk(head.contextStartSeq())),
                    ":to", s(messageSk(head.nextSeq() - 1)));
            Map<String, AttributeValue> startKey = null;
            do {
                QueryRequest.Builder query = QueryRequest.builder().tableName(table).consistentRead(true)
                        .keyConditionExpression("pk = :pk AND sk BETWEEN :from AND :to")
                        .expressionAttributeValues(values);
                if (startKey != null) {
                    query.exclusiveStartKey(startKey);
                }
                QueryResponse page = dynamo.query(query.build());
                for (Map<String, AttributeValue> item : page.items()) {
                    tail.add(message(item));
                }
                startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            } while (startKey != null);
        }
        return new Snapshot(head, system, summaryRecord == null ? null : summaryMessage(summaryRecord), summaryRecord, tail);
    }

    @Override
    public void commit(String tenant, String conversationId, Commit commit) {
        String pk = conversationPk(tenant, conversationId);
        SummaryRecord summary = commit.summary();
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":seen", n(commit.expectedGeneration()));
        values.put(":gen", n(summary.generation()));
        values.put(":start", n(commit.keptFromSeq()));
        values.put(":delta", n(commit.contextTokenDelta()));
        values.put(":now", s(clock.instant().toString()));
        String update = "SET context_start_seq = :start, compaction_gen = :gen, summary_gen = :gen, updated_at = :now"
                + " ADD ctx_tokens :delta";
        if (!commit.stillDue()) {
            update += " REMOVE due_pk, due_sk";
        }
        List<TransactWriteItem> writes = List.of(
                TransactWriteItem.builder().put(Put.builder().tableName(table).item(summaryItem(pk, summary))
                        .conditionExpression("attribute_not_exists(sk)").build()).build(),
                TransactWriteItem.builder().update(Update.builder().tableName(table).key(key(pk, HEAD))
                        .updateExpression(update).conditionExpression("compaction_gen = :seen")
                        .expressionAttributeValues(values).build()).build());
        for (int attempt = 1; ; attempt++) {
            try {
                dynamo.transactWriteItems(r -> r.transactItems(writes));
                return;
            } catch (TransactionCanceledException e) {
                if (conditionFailed(e)) {
                    throw new ConcurrentCompactionException(conversationId);
                }
                if (attempt >= MAX_ATTEMPTS || !retryable(e)) {
                    throw e;
                }
                backoff(attempt);
            }
        }
    }

    @Override
    public List<DueConversation> findDue(int limit) {
        List<DueConversation> due = new ArrayList<>();
        for (int shard = 0; shard < DUE_SHARDS && due.size() < limit; shard++) {
            Map<String, AttributeValue> startKey = null;
            do {
                QueryRequest.Builder query = QueryRequest.builder().tableName(table).indexName("due")
                        .keyConditionExpression("due_pk = :shard")
                        .expressionAttributeValues(Map.of(":shard", s("DUE#" + shard)))
                        .limit(limit - due.size());
                if (startKey != null) {
                    query.exclusiveStartKey(startKey);
                }
                QueryResponse page = dynamo.query(query.build());
                for (Map<String, AttributeValue> item : page.items()) {
                    due.add(new DueConversation(str(item, "tenant"), str(item, "conversation_id"), num(item, "ctx_tokens")));
                }
                startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            } while (startKey != null && due.size() < limit);
        }
        return due;
    }

    // ---- items --------------------------------------------------------------------------------

    private Message readMessage(String pk, long seq) {
        GetItemResponse got = dynamo.getItem(r -> r.tableName(table).consistentRead(true).key(key(pk, messageSk(seq))));
        if (!got.hasItem() || got.item().isEmpty()) {
            throw new IllegalStateException("conversation " + pk + " has no message " + seq);
        }
        return message(got.item());
    }

    private SummaryRecord readSummary(String pk, long generation) {
        GetItemResponse got = dynamo.getItem(r -> r.tableName(table).consistentRead(true).key(key(pk, summarySk(generation))));
        if (!got.hasItem() || got.item().isEmpty()) {
            throw new IllegalStateException("conversation " + pk + " has no summary generation " + generation);
        }
        Map<String, AttributeValue> item = got.item();
        return new SummaryRecord(num(item, "generation"), num(item, "parent_generation"), str(item, "message_id"),
                str(item, "packed_text"), str(item, "summary"), num(item, "covered_from_seq"), num(item, "covered_to_seq"),
                num(item, "kept_from_seq"), str(item, "mode_requested"), str(item, "mode_used"), str(item, "model"),
                str(item, "source"), str(item, "prompt_hash"), (int) num(item, "tokens"),
                Instant.parse(str(item, "created_at")),
                item.containsKey("details") ? Json.parseObject(str(item, "details")) : Map.of());
    }

    private static Message summaryMessage(SummaryRecord r) {
        return new Message(r.messageId(), -1, Role.SUMMARY, List.of(new ContentPart.Text(r.packedText())), null, null,
                null, null, null, null, null, null, r.createdAt(), r.tokens());
    }

    private static Map<String, AttributeValue> messageItem(String pk, Message m) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", s(pk));
        item.put("sk", s(messageSk(m.seq())));
        item.put("id", s(m.id()));
        item.put("role", s(m.role().wire()));
        item.put("body", s(Json.write(MessageCodec.body(m))));
        item.put("tokens", n(m.tokens()));
        item.put("created_at", s(m.createdAt().toString()));
        return item;
    }

    private static Message message(Map<String, AttributeValue> item) {
        dev.compactor.input.Fields fields = new dev.compactor.input.Fields();
        Message parsed = MessageCodec.fromJson(Json.parseObject(str(item, "body")), List.of("stored"), fields);
        if (parsed == null) {
            throw new IllegalStateException("stored message " + str(item, "id") + " is unreadable: " + fields.errors());
        }
        long seq = Long.parseLong(str(item, "sk").substring(4));
        return parsed.withStorage(str(item, "id"), seq, Instant.parse(str(item, "created_at")), (int) num(item, "tokens"));
    }

    private static Map<String, AttributeValue> summaryItem(String pk, SummaryRecord r) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", s(pk));
        item.put("sk", s(summarySk(r.generation())));
        item.put("generation", n(r.generation()));
        item.put("parent_generation", n(r.parentGeneration()));
        item.put("message_id", s(r.messageId()));
        item.put("packed_text", s(r.packedText()));
        item.put("summary", s(r.summary()));
        item.put("covered_from_seq", n(r.coveredFromSeq()));
        item.put("covered_to_seq", n(r.coveredToSeq()));
        item.put("kept_from_seq", n(r.keptFromSeq()));
        putString(item, "mode_requested", r.modeRequested());
        putString(item, "mode_used", r.modeUsed());
        putString(item, "model", r.model());
        putString(item, "source", r.source());
        putString(item, "prompt_hash", r.promptHash());
        item.put("tokens", n(r.tokens()));
        item.put("created_at", s(r.createdAt().toString()));
        item.put("details", s(Json.write(r.details() == null ? Map.of() : new LinkedHashMap<>(r.details()))));
        return item;
    }

    // ---- keys and attribute helpers -----------------------------------------------------------

    static String conversationPk(String tenant, String conversationId) {
        return "T#" + tenant + "#C#" + conversationId;
    }

    static String agentPk(String tenant, String agentId) {
        return "T#" + tenant + "#A#" + agentId;
    }

    static String messageSk(long seq) {
        return String.format("MSG#%012d", seq);
    }

    static String summarySk(long generation) {
        return String.format("SUM#%08d", generation);
    }

    static String dueShard(String tenant, String conversationId) {
        return "DUE#" + Math.floorMod((tenant + "#" + conversationId).hashCode(), DUE_SHARDS);
    }

    private static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of("pk", s(pk), "sk", s(sk));
    }

    private static boolean retryable(TransactionCanceledException e) {
        if (!e.hasCancellationReasons()) {
            return false;
        }
        for (CancellationReason reason : e.cancellationReasons()) {
            String code = reason.code();
            if ("TransactionConflict".equals(code) || "ConditionalCheckFailed".equals(code) || "ThrottlingError".equals(code)) {
                return true;
            }
        }
        return false;
    }

    /** True when the head's generation condition failed (the last action of a commit). */
    private static boolean conditionFailed(TransactionCanceledException e) {
        if (!e.hasCancellationReasons() || e.cancellationReasons().size() < 2) {
            return false;
        }
        return "ConditionalCheckFailed".equals(e.cancellationReasons().get(1).code());
    }

    private static void backoff(int attempt) {
        long cap = Math.min(200, 5L << Math.min(attempt, 6));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, cap + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a conflicting write", e);
        }
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    private static void putString(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, s(value));
        }
    }

    private static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    private static long num(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
    }
}
