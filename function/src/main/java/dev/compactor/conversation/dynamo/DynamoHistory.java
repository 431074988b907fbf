package dev.compactor.conversation.dynamo;

import static dev.compactor.conversation.dynamo.Attr.s;
import static dev.compactor.conversation.dynamo.Attr.str;

import dev.compactor.conversation.HistoryQuery;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.SummaryRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/** Reads a conversation's history page by page: messages, summaries placed among them, summary records. */
final class DynamoHistory {
    /**
     * Characters of stored JSON one page reads at most. A Lambda response is limited to 6 MB (and
     * a character can take three bytes); a page cut short by this budget is still a valid page,
     * and the next one starts after its last entry.
     */
    static final int PAGE_TEXT_BUDGET = 1_500_000;
    static final String ID_INDEX = "by_id";
    /** DynamoDB's limit on a sort key value, here the index's {@code id}. */
    static final int MAX_SORT_KEY_BYTES = 1024;

    private final Table table;

    DynamoHistory(Table table) {
        this.table = table;
    }

    List<Message> messages(String pk, HistoryQuery query) {
        String afterSk = locate(pk, query.after());
        String beforeSk = locate(pk, query.before());
        // Key order is ascending history; "after" and "before" follow the requested order.
        String lower = query.ascending() ? afterSk : beforeSk;
        String upper = query.ascending() ? beforeSk : afterSk;
        boolean fromBefore = beforeSk != null && afterSk == null;
        boolean forward = fromBefore != query.ascending();
        // Summary markers stay null until their records are read in one batch below.
        List<Message> page = new ArrayList<>();
        List<Long> markerGenerations = new ArrayList<>();
        long[] text = {0};
        table.range(pk, lower == null ? Keys.HISTORY_FROM : lower, upper == null ? Keys.HISTORY_TO : upper, forward, null,
                query.limit() + 2, item -> {
                    String sk = str(item, "sk");
                    if (sk.equals(lower) || sk.equals(upper)) {
                        return true;
                    }
                    if (Keys.isSummaryMarker(sk)) {
                        markerGenerations.add(Keys.generationOfMarker(sk));
                        page.add(null);
                    } else {
                        String body = MessageItems.body(item);
                        text[0] += body.length();
                        page.add(MessageItems.message(item, body));
                    }
                    return page.size() < query.limit() && text[0] < PAGE_TEXT_BUDGET;
                });
        if (fromBefore) {
            Collections.reverse(page);
            Collections.reverse(markerGenerations);
        }
        Map<Long, SummaryRecord> records = records(pk, markerGenerations);
        Iterator<Long> generations = markerGenerations.iterator();
        page.replaceAll(m -> m != null ? m : SummaryItems.message(records.get(generations.next())));
        return page;
    }

    List<SummaryRecord> summaries(String pk, long after, int limit, boolean ascending) {
        String from = ascending && after > 0 ? Keys.summary(after + 1) : Keys.SUMMARIES_FROM;
        String to = !ascending && after > 0 ? Keys.summary(after - 1) : Keys.SUMMARIES_TO;
        List<SummaryRecord> records = new ArrayList<>();
        long[] text = {0};
        table.range(pk, from, to, ascending, null, limit, item -> {
            SummaryRecord r = SummaryItems.record(item);
            records.add(r);
            text[0] += r.summary().length() + r.packedText().length();
            return records.size() < limit && text[0] < PAGE_TEXT_BUDGET;
        });
        return records;
    }

    static SummaryRecord record(Table table, String pk, long generation) {
        return table.get(pk, Keys.summary(generation)).map(SummaryItems::record)
                .orElseThrow(() -> new IllegalStateException("conversation " + pk + " has no summary generation " + generation));
    }

    /**
     * The sort key of the history entry with this message id, or null when there is none. An
     * empty cursor is no cursor (as in Letta), and one DynamoDB could not hold as an index key
     * names no message; both are ignored like an unknown id rather than sent to DynamoDB, which
     * would refuse the query.
     */
    private String locate(String pk, String messageId) {
        if (messageId == null || messageId.isEmpty() || messageId.getBytes(StandardCharsets.UTF_8).length > MAX_SORT_KEY_BYTES) {
            return null;
        }
        QueryResponse found = table.dynamo.query(r -> r.tableName(table.name).indexName(ID_INDEX).consistentRead(true)
                .keyConditionExpression("pk = :pk AND id = :id")
                .expressionAttributeValues(Map.of(":pk", s(pk), ":id", s(messageId))).limit(1));
        return found.items().isEmpty() ? null : str(found.items().get(0), "sk");
    }

    /** Summary records by generation, read in batches. */
    private Map<Long, SummaryRecord> records(String pk, List<Long> generations) {
        List<String> keys = new ArrayList<>(generations.size());
        for (long generation : generations) {
            keys.add(Keys.summary(generation));
        }
        Map<Long, SummaryRecord> records = new HashMap<>();
        for (Map<String, AttributeValue> item : table.getAll(pk, keys).values()) {
            SummaryRecord r = SummaryItems.record(item);
            records.put(r.generation(), r);
        }
        return records;
    }
}
