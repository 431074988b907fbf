package dev.compactor.conversation.dynamo;

import static dev.compactor.conversation.dynamo.Attr.n;
import static dev.compactor.conversation.dynamo.Attr.s;

import dev.compactor.conversation.CompactionLease;
import dev.compactor.conversation.ConcurrentCompactionException;
import dev.compactor.conversation.ConversationHead;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;

/**
 * Compaction leases on the head: taken before a model call, renewed by the holder's heartbeat,
 * released on failure (the commit removes its own).
 */
final class DynamoLeases {
    private final Table table;
    private final Clock clock;

    DynamoLeases(Table table, Clock clock) {
        this.table = table;
        this.clock = clock;
    }

    Optional<CompactionLease> takeLease(String tenant, String conversationId, CompactionLease lease) {
        String pk = Keys.conversation(tenant, conversationId);
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":gen", n(lease.generation()));
        values.put(":by", s(lease.holder().wire()));
        values.put(":id", s(lease.id()));
        values.put(":until", n(lease.until().toEpochMilli()));
        // A background compaction takes over no live lease; a client's takes over another client's.
        String clients = lease.holder().background() ? ""
                : " OR " + Heads.LEASE_BY + " IN (:" + CompactionLease.Holder.MANUAL.wire() + ", :" + CompactionLease.Holder.JOB.wire() + ")";
        if (!clients.isEmpty()) {
            values.put(":" + CompactionLease.Holder.MANUAL.wire(), s(CompactionLease.Holder.MANUAL.wire()));
            values.put(":" + CompactionLease.Holder.JOB.wire(), s(CompactionLease.Holder.JOB.wire()));
        }
        for (int attempt = 1; ; attempt++) {
            Instant now = clock.instant();
            values.put(":now", n(now.toEpochMilli()));
            try {
                table.dynamo.updateItem(r -> r.tableName(table.name).key(Attr.key(pk, Keys.HEAD))
                        .updateExpression("SET " + Heads.LEASE_GEN + " = :gen, " + Heads.LEASE_BY + " = :by, " + Heads.LEASE_ID + " = :id, "
                                + Heads.LEASE_UNTIL + " = :until")
                        .conditionExpression("compaction_gen = :gen AND " + Heads.LIVE + " AND (attribute_not_exists(" + Heads.LEASE_ID
                                + ") OR " + Heads.LEASE_GEN + " <> :gen OR " + Heads.LEASE_UNTIL + " <= :now OR " + Heads.LEASE_ID
                                + " = :id" + clients + ")")
                        .expressionAttributeValues(values));
                return Optional.empty();
            } catch (ConditionalCheckFailedException e) {
                ConversationHead head = Heads.require(table, tenant, conversationId);
                if (head.compactionGen() != lease.generation()) {
                    throw new ConcurrentCompactionException(conversationId);
                }
                if (head.lease() != null && head.lease().holds(lease.generation(), clock.instant())) {
                    return Optional.of(head.lease());
                }
                // The lease was released or ran out between the two reads: try again.
            } catch (TransactionConflictException e) {
                // An append's transaction on the head was in flight.
                if (attempt >= Table.MAX_ATTEMPTS) {
                    throw e;
                }
            }
            if (attempt >= Table.MAX_ATTEMPTS) {
                throw new IllegalStateException("the compaction lease of " + conversationId + " kept changing");
            }
            Table.backoff(attempt);
        }
    }

    /**
     * One heartbeat: a single {@code SET} of {@code lease_until}, which leaves {@code due_pk} as it
     * was, so the due stream's filter lets it through to nothing.
     */
    boolean renewLease(String tenant, String conversationId, CompactionLease renewed) {
        try {
            table.dynamo.updateItem(r -> r.tableName(table.name).key(Attr.key(Keys.conversation(tenant, conversationId), Keys.HEAD))
                    .updateExpression("SET " + Heads.LEASE_UNTIL + " = :until")
                    .conditionExpression(Heads.LEASE_ID + " = :id AND " + Heads.LEASE_GEN + " = :gen AND " + Heads.LIVE)
                    .expressionAttributeValues(Map.of(":id", s(renewed.id()), ":gen", n(renewed.generation()),
                            ":until", n(renewed.until().toEpochMilli()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    void releaseLease(String tenant, String conversationId, CompactionLease lease) {
        try {
            table.dynamo.updateItem(r -> r.tableName(table.name).key(Attr.key(Keys.conversation(tenant, conversationId), Keys.HEAD))
                    .updateExpression("REMOVE " + Heads.LEASE_ATTRIBUTES).conditionExpression(Heads.LEASE_ID + " = :id AND " + Heads.LIVE)
                    .expressionAttributeValues(Map.of(":id", s(lease.id()))));
        } catch (ConditionalCheckFailedException e) {
            // A commit removed it, another compaction took it over, or a delete or purge began: not ours to remove.
        }
    }
}
