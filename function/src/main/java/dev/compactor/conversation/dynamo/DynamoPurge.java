package dev.compactor.conversation.dynamo;

import static dev.compactor.conversation.dynamo.Attr.n;
import static dev.compactor.conversation.dynamo.Attr.num;
import static dev.compactor.conversation.dynamo.Attr.s;
import static dev.compactor.conversation.dynamo.Attr.str;

import dev.compactor.conversation.ConversationNotFoundException;
import dev.compactor.conversation.ConversationPurges;
import dev.compactor.conversation.PurgeStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Purges on the conversation table (layout in {@link Keys}).
 *
 * <p>{@link #begin} tombstones the head ({@link Heads#TOMBSTONE}) and takes it out of the due
 * index, in one transaction with the purge's receipt; every writer of the conversation is
 * conditional on {@link Heads#LIVE}, so from then on nothing can add to what the purge deletes.
 * {@link #resume} then reads the partition a page at a time and deletes it in BatchWriteItem
 * batches of 25 (retrying unprocessed items): first the records a page's references point to,
 * then the page itself, so a crash between the two leaves the references for the next run. The
 * head goes last, in one transaction with the receipt turning {@code purged}; until then the
 * tombstone is where any later run (DELETE again, the worker's redelivery) resumes.
 */
public final class DynamoPurge implements ConversationPurges {
    /** Items read per Query page; each page costs a few BatchWriteItem calls and one receipt update. */
    static final int PAGE = 100;

    private final Table table;
    private final Clock clock;

    public DynamoPurge(DynamoDbClient dynamo, String tableName, Clock clock) {
        this.table = new Table(dynamo, tableName);
        this.clock = clock;
    }

    @Override
    public PurgeStatus begin(String tenant, String conversationId) {
        String pk = Keys.conversation(tenant, conversationId);
        for (int attempt = 1; ; attempt++) {
            Optional<Map<String, AttributeValue>> head = table.get(pk, Keys.HEAD);
            if (head.isEmpty()) {
                return status(tenant, conversationId).filter(PurgeStatus::done)
                        .orElseThrow(() -> new ConversationNotFoundException(conversationId));
            }
            Instant now = clock.instant();
            // Messages (the system one included), and each generation's record and marker.
            long items = num(head.get(), "next_seq") + 2 * num(head.get(), "compaction_gen");
            TransactWriteItem receipt = receipt(tenant, conversationId).open(now,
                    Map.of("tenant", s(tenant), "conversation_id", s(conversationId), "agent_id", s(str(head.get(), "agent_id"))),
                    Map.of("items_at_start", n(items), "items_deleted", n(0), "generation", n(num(head.get(), "compaction_gen"))));
            try {
                table.transact(List.of(
                        TransactWriteItem.builder().update(Update.builder().tableName(table.name).key(Attr.key(pk, Keys.HEAD))
                                .updateExpression("SET " + Heads.TOMBSTONE + " = if_not_exists(" + Heads.TOMBSTONE + ", :now) "
                                        + "REMOVE due_pk, due_sk")
                                .conditionExpression("attribute_exists(pk)")
                                .expressionAttributeValues(Map.of(":now", s(now.toString()))).build()).build(),
                        receipt));
                return status(tenant, conversationId).orElseThrow();
            } catch (TransactionCanceledException e) {
                // The head went (a concurrent purge finished: read again), or a racing writer held it.
                boolean gone = "ConditionalCheckFailed".equals(Table.reason(e, 0));
                if (!gone && (attempt >= Table.MAX_ATTEMPTS || !Table.contended(e))) {
                    throw e;
                }
                Table.backoff(attempt);
            }
        }
    }

    @Override
    public PurgeStatus resume(String tenant, String conversationId, Instant deadline) {
        String pk = Keys.conversation(tenant, conversationId);
        Optional<Map<String, AttributeValue>> head = table.get(pk, Keys.HEAD);
        if (head.isEmpty()) {
            return status(tenant, conversationId).orElseThrow(() -> new ConversationNotFoundException(conversationId));
        }
        if (!head.get().containsKey(Heads.TOMBSTONE)) {
            throw new IllegalStateException("a purge resumes only from its tombstone: begin it first");
        }
        Map<String, AttributeValue> startKey = null;
        while (clock.instant().isBefore(deadline)) {
            QueryRequest.Builder query = QueryRequest.builder().tableName(table.name).consistentRead(true)
                    .keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", s(pk)))
                    .projectionExpression("pk, sk, target_pk, target_sk").limit(PAGE);
            if (startKey != null) {
                query.exclusiveStartKey(startKey);
            }
            QueryResponse page = table.dynamo.query(query.build());
            startKey = Table.nextKey(page);
            List<Map<String, AttributeValue>> targets = new ArrayList<>();
            List<Map<String, AttributeValue>> own = new ArrayList<>();
            for (Map<String, AttributeValue> item : page.items()) {
                String sk = str(item, "sk");
                if (sk.equals(Keys.HEAD)) {
                    continue;
                }
                if (sk.startsWith(Keys.REFERENCE)) {
                    targets.add(Attr.key(str(item, "target_pk"), str(item, "target_sk")));
                }
                own.add(Attr.key(pk, sk));
            }
            if (own.isEmpty()) {
                if (startKey == null) {
                    finish(tenant, conversationId);
                    break;
                }
                continue;
            }
            receipt(tenant, conversationId).count("items_deleted", table.deleteAll(targets) + table.deleteAll(own));
        }
        return status(tenant, conversationId).orElseThrow();
    }

    /**
     * Deletes the tombstoned head and its entry in the agent's partition and closes the receipt, in
     * one transaction; a head already gone was finished by another run.
     */
    private void finish(String tenant, String conversationId) {
        String agentId = status(tenant, conversationId).orElseThrow().agentId();
        try {
            table.transact(List.of(
                    TransactWriteItem.builder().delete(Delete.builder().tableName(table.name)
                            .key(Attr.key(Keys.conversation(tenant, conversationId), Keys.HEAD))
                            .conditionExpression("attribute_exists(" + Heads.TOMBSTONE + ")").build()).build(),
                    TransactWriteItem.builder().delete(Delete.builder().tableName(table.name)
                            .key(Attr.key(Keys.agent(tenant, agentId), Keys.agentConversation(conversationId))).build()).build(),
                    receipt(tenant, conversationId).close(clock.instant(), Map.of("items_deleted", 1L))));
        } catch (TransactionCanceledException e) {
            if (!"ConditionalCheckFailed".equals(Table.reason(e, 0))) {
                throw e;
            }
        }
    }

    @Override
    public Optional<PurgeStatus> status(String tenant, String conversationId) {
        return receipt(tenant, conversationId).read().map(item -> new PurgeStatus(str(item, "tenant"),
                str(item, "conversation_id"), str(item, "agent_id"), str(item, "status"), num(item, "items_at_start"),
                num(item, "items_deleted"), num(item, "generation"), PurgeReceipt.startedAt(item), PurgeReceipt.finishedAt(item)));
    }

    private PurgeReceipt receipt(String tenant, String conversationId) {
        return new PurgeReceipt(table, tenant, conversationId, Keys.PURGE);
    }
}
