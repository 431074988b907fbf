package dev.compactor.conversation.dynamo;

import static dev.compactor.conversation.dynamo.Attr.n;
import static dev.compactor.conversation.dynamo.Attr.s;
import static dev.compactor.conversation.dynamo.Attr.str;

import dev.compactor.conversation.ConversationPurges;
import dev.compactor.conversation.PurgeStatus;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The receipt item of one purge, a conversation's or an agent's: opened when the purge begins
 * (begun again, it keeps its first start), closed when the purge finishes, and from then on
 * readable for {@link ConversationPurges#RECEIPT_RETENTION} before the table's TTL removes it.
 * Ids, counts and times only.
 */
final class PurgeReceipt {
    private static final Map<String, String> STATUS = Map.of("#status", "status");

    private final Table table;
    private final Map<String, AttributeValue> key;

    /** @param sortKey {@link Keys#PURGE} for a conversation's purge, {@link Keys#AGENT_PURGE} for an agent's */
    PurgeReceipt(Table table, String tenant, String id, String sortKey) {
        this.table = table;
        this.key = Attr.key(Keys.purge(tenant, id), sortKey);
    }

    /**
     * The write that opens the receipt, or marks it purging again: {@code ids} as given, and
     * {@code firsts} (like the start) only where the receipt does not hold them yet.
     */
    TransactWriteItem open(Instant now, Map<String, AttributeValue> ids, Map<String, AttributeValue> firsts) {
        StringBuilder set = new StringBuilder("SET #status = :purging, started_at = if_not_exists(started_at, :now)");
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":purging", s(PurgeStatus.PURGING));
        values.put(":now", s(now.toString()));
        ids.forEach((name, value) -> {
            set.append(", ").append(name).append(" = :").append(name);
            values.put(":" + name, value);
        });
        firsts.forEach((name, value) -> {
            set.append(", ").append(name).append(" = if_not_exists(").append(name).append(", :").append(name).append(')');
            values.put(":" + name, value);
        });
        return TransactWriteItem.builder().update(Update.builder().tableName(table.name).key(key).updateExpression(set.toString())
                .expressionAttributeNames(STATUS).expressionAttributeValues(values).build()).build();
    }

    /**
     * The write that closes the receipt (it must exist), keeping the first finish when two runs
     * race to the end, and adds {@code increments} to its counters in the same update.
     */
    TransactWriteItem close(Instant now, Map<String, Long> increments) {
        StringBuilder update = new StringBuilder("SET #status = :purged, finished_at = if_not_exists(finished_at, :now), expires_at = :expires");
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":purged", s(PurgeStatus.PURGED));
        values.put(":now", s(now.toString()));
        values.put(":expires", n(now.plus(ConversationPurges.RECEIPT_RETENTION).getEpochSecond()));
        String separator = " ADD ";
        for (Map.Entry<String, Long> increment : increments.entrySet()) {
            update.append(separator).append(increment.getKey()).append(" :").append(increment.getKey());
            values.put(":" + increment.getKey(), n(increment.getValue()));
            separator = ", ";
        }
        return TransactWriteItem.builder().update(Update.builder().tableName(table.name).key(key).updateExpression(update.toString())
                .conditionExpression("attribute_exists(pk)").expressionAttributeNames(STATUS).expressionAttributeValues(values).build())
                .build();
    }

    /** Adds {@code amount} to one of the receipt's counters (it must exist). */
    void count(String counter, long amount) {
        table.dynamo.updateItem(r -> r.tableName(table.name).key(key).updateExpression("ADD " + counter + " :amount")
                .conditionExpression("attribute_exists(pk)").expressionAttributeValues(Map.of(":amount", n(amount))));
    }

    Optional<Map<String, AttributeValue>> read() {
        return table.get(str(key, "pk"), str(key, "sk"));
    }

    static Instant startedAt(Map<String, AttributeValue> receipt) {
        return Instant.parse(str(receipt, "started_at"));
    }

    /** When the purge finished, or null while it goes on. */
    static Instant finishedAt(Map<String, AttributeValue> receipt) {
        String finished = str(receipt, "finished_at");
        return finished == null ? null : Instant.parse(finished);
    }
}
