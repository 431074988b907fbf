package dev.compactor.conversation.dynamo;

import static dev.compactor.conversation.dynamo.Attr.n;
import static dev.compactor.conversation.dynamo.Attr.num;
import static dev.compactor.conversation.dynamo.Attr.str;

import dev.compactor.conversation.ConversationNotFoundException;
import dev.compactor.conversation.HistoryRetention;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Retention of evicted history through the table's TTL attribute {@code expires_at}, stamped
 * after a compaction commits, never by it.
 *
 * <p>The head keeps a floor, {@code retention_floor_seq}: messages below it are released to
 * retention. A run first raises the floor to where a revert of the summary in context would start
 * the context (the first message that summary's parent kept: the latest compaction stays
 * undoable, older ones do not), on condition that the summary in context is still the one it read
 * (a compaction or revert meanwhile wins, and this run reads again); then it stamps what lies between the stamped mark,
 * {@code retention_stamped_seq}, and the floor, then moves the mark. A revert is conditional on
 * restoring no message below the floor, so a stamped message is never in context again; a run
 * that stops half-way leaves the mark where the next run resumes. What a run stamps: the
 * messages, and each summary (record and history marker) whose kept messages start below the
 * floor, which no revert can restore either.
 */
public final class DynamoRetention implements HistoryRetention {
    static final String FLOOR = "retention_floor_seq";
    static final String STAMPED = "retention_stamped_seq";

    private final Table table;
    private final Clock clock;

    public DynamoRetention(DynamoDbClient dynamo, String tableName, Clock clock) {
        this.table = new Table(dynamo, tableName);
        this.clock = clock;
    }

    @Override
    public long stamp(String tenant, String conversationId, Duration keep, Instant deadline) {
        String pk = Keys.conversation(tenant, conversationId);
        Map<String, AttributeValue> head = raiseFloor(pk, conversationId);
        long floor = num(head, FLOOR);
        // The system message (seq 0) is always in context.
        long from = Math.max(1, num(head, STAMPED));
        if (from >= floor) {
            return 0;
        }
        long expires = clock.instant().plus(keep).getEpochSecond();
        List<String> keys = new ArrayList<>();
        // From the message before the mark: the markers right after it belong to summaries keeping messages from the mark on.
        table.range(pk, Keys.message(from - 1), Keys.message(floor - 1), true, "sk", 0, item -> {
            String sk = str(item, "sk");
            if (Keys.isSummaryMarker(sk)) {
                // Under the range's upper bound, a marker's summary keeps messages from below the floor.
                keys.add(sk);
                keys.add(Keys.summary(Keys.generationOfMarker(sk)));
            } else if (Keys.seqOf(sk) >= from) {
                keys.add(sk);
            }
            return true;
        });
        long stamped = 0;
        for (String sk : keys) {
            if (!clock.instant().isBefore(deadline)) {
                return stamped;
            }
            try {
                table.dynamo.updateItem(r -> r.tableName(table.name).key(Attr.key(pk, sk)).updateExpression("SET expires_at = :expires")
                        .conditionExpression("attribute_exists(pk)").expressionAttributeValues(Map.of(":expires", n(expires))));
                stamped++;
            } catch (ConditionalCheckFailedException e) {
                // Already gone (a purge): nothing to stamp.
            }
        }
        try {
            table.dynamo.updateItem(r -> r.tableName(table.name).key(Attr.key(pk, Keys.HEAD))
                    .updateExpression("SET " + STAMPED + " = :floor").conditionExpression(Heads.LIVE)
                    .expressionAttributeValues(Map.of(":floor", n(floor))));
        } catch (ConditionalCheckFailedException e) {
            throw new ConversationNotFoundException(conversationId);
        }
        return stamped;
    }

    /**
     * Raises the floor to where reverting the summary in context would start the context again
     * (the first message its parent kept), so that the latest compaction can still be undone;
     * returns the head as it then is.
     */
    private Map<String, AttributeValue> raiseFloor(String pk, String conversationId) {
        for (int attempt = 1; ; attempt++) {
            Map<String, AttributeValue> head = table.get(pk, Keys.HEAD).filter(Heads::live)
                    .orElseThrow(() -> new ConversationNotFoundException(conversationId));
            long current = num(head, "summary_gen");
            long parent = current == 0 ? 0 : table.get(pk, Keys.summary(current)).map(item -> num(item, "parent_generation")).orElse(0L);
            long floor = parent == 0 ? 1 : table.get(pk, Keys.summary(parent)).map(item -> num(item, "kept_from_seq")).orElse(1L);
            if (num(head, FLOOR) >= floor) {
                return head;
            }
            try {
                return table.dynamo.updateItem(r -> r.tableName(table.name).key(Attr.key(pk, Keys.HEAD))
                        .updateExpression("SET " + FLOOR + " = :floor")
                        .conditionExpression(Heads.LIVE + " AND summary_gen = :current")
                        .expressionAttributeValues(Map.of(":floor", n(floor), ":current", n(current)))
                        .returnValues(ReturnValue.ALL_NEW)).attributes();
            } catch (ConditionalCheckFailedException e) {
                // A compaction or revert changed the summary in context since the read: read it again.
                if (attempt >= Table.MAX_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }
}
