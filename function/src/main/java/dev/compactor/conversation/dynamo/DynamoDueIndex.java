package dev.compactor.conversation.dynamo;

import static dev.compactor.conversation.dynamo.Attr.n;
import static dev.compactor.conversation.dynamo.Attr.num;
import static dev.compactor.conversation.dynamo.Attr.s;
import static dev.compactor.conversation.dynamo.Attr.str;

import dev.compactor.conversation.DueConversation;
import dev.compactor.conversation.DueState;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/** The scheduled-compaction index: the sparse {@code due} GSI over conversation heads (layout in {@link Keys}). */
final class DynamoDueIndex {
    private final Table table;
    private final Clock clock;

    DynamoDueIndex(Table table, Clock clock) {
        this.table = table;
        this.clock = clock;
    }

    /** See {@link dev.compactor.conversation.DueIndex#scanDue}. */
    void scanDue(DueState state, int shard, Instant before, int pageSize, Predicate<List<DueConversation>> eachPage) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":partition", s(Keys.duePartition(state, shard)));
        String condition = "due_pk = :partition";
        if (state != DueState.DUE) {
            values.put(":before", s(Keys.dueTime(before)));
            condition += " AND due_sk < :before";
        }
        Map<String, AttributeValue> startKey = null;
        do {
            QueryRequest.Builder query = QueryRequest.builder().tableName(table.name).indexName("due")
                    .keyConditionExpression(condition).expressionAttributeValues(values).limit(pageSize);
            if (startKey != null) {
                query.exclusiveStartKey(startKey);
            }
            QueryResponse page = table.dynamo.query(query.build());
            List<DueConversation> entries = new ArrayList<>(page.count());
            for (Map<String, AttributeValue> item : page.items()) {
                String sk = str(item, "due_sk");
                Instant since = state == DueState.DUE ? null : Instant.ofEpochMilli(Long.parseLong(sk.substring(0, sk.indexOf('#'))));
                entries.add(new DueConversation(str(item, "tenant"), str(item, "conversation_id"), num(item, "compaction_gen"),
                        num(item, "ctx_tokens"), state, since));
            }
            if (!entries.isEmpty() && !eachPage.test(entries)) {
                return;
            }
            startKey = Table.nextKey(page);
        } while (startKey != null);
    }

    /** See {@link dev.compactor.conversation.DueIndex#claimDue}. */
    List<DueConversation> claimDue(List<DueConversation> entries) {
        Instant now = clock.instant();
        List<DueConversation> claimed = new ArrayList<>(entries.size());
        for (DueConversation d : entries) {
            try {
                table.dynamo.updateItem(claim(d, now));
                claimed.add(d);
            } catch (ConditionalCheckFailedException e) {
                // Moved on since the index listed it: compacted, appended to while idle, or claimed by another run.
            }
        }
        return claimed;
    }

    private UpdateItemRequest claim(DueConversation d, Instant now) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":gen", n(d.generation()));
        values.put(":seen_pk", s(Keys.duePartition(d.listedAs(), d.tenant(), d.conversationId())));
        values.put(":seen_sk", s(Keys.dueSortKey(d.listedAs(), d.since(), d.tenant(), d.conversationId())));
        String queued = Heads.entry(DueState.QUEUED, now, d.tenant(), d.conversationId(), values);
        return UpdateItemRequest.builder().tableName(table.name).key(Attr.key(Keys.conversation(d.tenant(), d.conversationId()), Keys.HEAD))
                .updateExpression("SET " + queued)
                .conditionExpression("compaction_gen = :gen AND due_pk = :seen_pk AND due_sk = :seen_sk")
                .expressionAttributeValues(values).build();
    }
}
