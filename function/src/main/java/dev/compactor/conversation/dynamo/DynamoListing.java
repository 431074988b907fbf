package dev.compactor.conversation.dynamo;

import static dev.compactor.conversation.dynamo.Attr.s;
import static dev.compactor.conversation.dynamo.Attr.str;

import dev.compactor.conversation.Agent;
import dev.compactor.conversation.AgentQuery;
import dev.compactor.conversation.ConversationHead;
import dev.compactor.conversation.ConversationNotFoundException;
import dev.compactor.conversation.ConversationQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Lists over the two KEYS_ONLY listing indexes (keys in {@link Keys}). The indexes give the order
 * and the table keys; the items themselves are then read consistently in batches, so an item
 * deleted or soft-deleted since the index last caught up is never listed. The index is
 * eventually consistent: an item created a moment ago may be missing from a list.
 */
final class DynamoListing {
    private final Table table;

    DynamoListing(Table table) {
        this.table = table;
    }

    List<ConversationHead> conversations(String tenant, ConversationQuery q) {
        Predicate<ConversationHead> wanted = head -> matches(head, q);
        String index = q.agentId() == null ? Keys.LISTING_INDEX : Keys.AGENT_LISTING_INDEX;
        String partition = q.agentId() == null ? Keys.conversationsListing(tenant)
                : Keys.agentConversationsListing(tenant, q.agentId(), false);
        ConversationHead cursor = q.after() == null ? null : cursor(tenant, q.after());
        if (q.limit() == 0) {
            return List.of();
        }
        if (q.orderBy() == ConversationQuery.Order.CREATED_AT) {
            String after = cursor == null ? null : Keys.listSortKey(cursor.createdAt(), cursor.id());
            List<ConversationHead> page = new ArrayList<>();
            scan(index, partition, q.ascending(), q.ascending() ? after : null, q.ascending() ? null : after, q.limit(), keys -> {
                for (Map<String, AttributeValue> item : items(keys)) {
                    ConversationHead head = Heads.head(item);
                    if (Heads.live(item) && wanted.test(head)) {
                        page.add(head);
                        if (page.size() == q.limit()) {
                            return false;
                        }
                    }
                }
                return true;
            });
            return page;
        }
        List<ConversationHead> all = new ArrayList<>();
        scan(index, partition, true, null, null, 0, keys -> {
            for (Map<String, AttributeValue> item : items(keys)) {
                if (Heads.live(item)) {
                    all.add(Heads.head(item));
                }
            }
            return true;
        });
        Comparator<ConversationHead> byActivity = Comparator.comparing(ConversationHead::updatedAt).thenComparing(ConversationHead::id);
        Comparator<ConversationHead> order = q.ascending() ? byActivity : byActivity.reversed();
        return all.stream()
                .filter(wanted)
                .filter(head -> cursor == null || order.compare(head, cursor) > 0)
                .sorted(order)
                .limit(q.limit())
                .toList();
    }

    /** The cursor conversation, deleted or not (Letta reads it without regard to deletion); unknown: 404 as Letta. */
    private ConversationHead cursor(String tenant, String conversationId) {
        return table.get(Keys.conversation(tenant, conversationId), Keys.HEAD).map(Heads::head)
                .orElseThrow(() -> new ConversationNotFoundException(conversationId));
    }

    private static boolean matches(ConversationHead head, ConversationQuery q) {
        boolean archived = head.fields().archived();
        boolean status = switch (q.archiveStatus()) {
            case ALL -> true;
            case ARCHIVED -> archived;
            case UNARCHIVED -> !archived;
        };
        String summary = head.fields().summary();
        return status && (q.summarySearch() == null || q.summarySearch().isEmpty()
                || summary != null && summary.contains(q.summarySearch()));
    }

    List<Agent> agents(String tenant, AgentQuery q) {
        if (q.limit() == 0) {
            return List.of();
        }
        String after = agentCursor(tenant, q.after());
        String before = agentCursor(tenant, q.before());
        // "after" and "before" are in the requested order; the key range is in ascending key order.
        String above = q.ascending() ? after : before;
        String below = q.ascending() ? before : after;
        List<Agent> page = new ArrayList<>();
        scan(Keys.LISTING_INDEX, Keys.agentsListing(tenant), q.ascending(), above, below, q.limit(), keys -> {
            for (Map<String, AttributeValue> item : items(keys)) {
                if (!AgentItems.live(item)) {
                    continue;
                }
                Agent agent = AgentItems.agent(item);
                if (q.name() == null || q.name().equals(agent.name())) {
                    page.add(agent);
                    if (page.size() == q.limit()) {
                        return false;
                    }
                }
            }
            return true;
        });
        return page;
    }

    /** The listing sort key of an agent cursor, or null when there is none or it names no agent (ignored, as Letta). */
    private String agentCursor(String tenant, String agentId) {
        if (agentId == null) {
            return null;
        }
        return table.get(Keys.agent(tenant, agentId), Keys.AGENT)
                .map(item -> Keys.listSortKey(Instant.parse(str(item, "created_at")), agentId)).orElse(null);
    }

    /** Table keys of the heads in one of an agent's listing partitions (listed or hidden), for its delete. */
    void agentConversationKeys(String tenant, String agentId, boolean hidden, Predicate<List<Map<String, AttributeValue>>> eachPage) {
        scan(Keys.AGENT_LISTING_INDEX, Keys.agentConversationsListing(tenant, agentId, hidden), true, null, null, 0, eachPage);
    }

    /**
     * Pages of table keys from {@code index}'s {@code partition} with sort keys strictly between
     * {@code above} and {@code below} (either null: unbounded), in order, until {@code eachPage}
     * returns false.
     *
     * @param pageSize keys per request, 0 for DynamoDB's 1 MB pages
     */
    private void scan(String index, String partition, boolean ascending, String above, String below, int pageSize,
                      Predicate<List<Map<String, AttributeValue>>> eachPage) {
        String pkName = Keys.LISTING_INDEX.equals(index) ? "list_pk" : "agent_list_pk";
        String skName = Keys.LISTING_INDEX.equals(index) ? "list_sk" : "agent_list_sk";
        if (above != null && below != null && above.compareTo(below) >= 0) {
            return;
        }
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":p", s(partition));
        String condition = "#pk = :p";
        Map<String, String> names = new HashMap<>(Map.of("#pk", pkName));
        if (above != null && below != null) {
            condition += " AND #sk BETWEEN :above AND :below";
            names.put("#sk", skName);
            values.put(":above", s(above));
            values.put(":below", s(below));
        } else if (above != null) {
            condition += " AND #sk > :above";
            names.put("#sk", skName);
            values.put(":above", s(above));
        } else if (below != null) {
            condition += " AND #sk < :below";
            names.put("#sk", skName);
            values.put(":below", s(below));
        }
        boolean exclusiveBounds = above != null && below != null;
        Map<String, AttributeValue> startKey = null;
        do {
            QueryRequest.Builder query = QueryRequest.builder().tableName(table.name).indexName(index)
                    .keyConditionExpression(condition).expressionAttributeNames(names).expressionAttributeValues(values)
                    .scanIndexForward(ascending);
            if (pageSize > 0) {
                query.limit(pageSize);
            }
            if (startKey != null) {
                query.exclusiveStartKey(startKey);
            }
            QueryResponse response = table.dynamo.query(query.build());
            List<Map<String, AttributeValue>> keys = new ArrayList<>();
            for (Map<String, AttributeValue> item : response.items()) {
                String sk = str(item, skName);
                // BETWEEN includes its bounds; the cursors themselves are not part of the page.
                if (!exclusiveBounds || !sk.equals(above) && !sk.equals(below)) {
                    keys.add(Attr.key(str(item, "pk"), str(item, "sk")));
                }
            }
            if (!keys.isEmpty() && !eachPage.test(keys)) {
                return;
            }
            startKey = Table.nextKey(response);
        } while (startKey != null);
    }

    /** The items with these table keys, read consistently, in the keys' order; items gone meanwhile are left out. */
    private List<Map<String, AttributeValue>> items(List<Map<String, AttributeValue>> keys) {
        Map<String, Map<String, AttributeValue>> found = new HashMap<>();
        for (int from = 0; from < keys.size(); from += Table.BATCH_GET_KEYS) {
            List<Map<String, AttributeValue>> chunk = keys.subList(from, Math.min(keys.size(), from + Table.BATCH_GET_KEYS));
            Map<String, KeysAndAttributes> pending = Map.of(table.name, KeysAndAttributes.builder().keys(chunk).consistentRead(true).build());
            for (int attempt = 1; !pending.isEmpty(); attempt++) {
                Map<String, KeysAndAttributes> request = pending;
                BatchGetItemResponse got = table.dynamo.batchGetItem(r -> r.requestItems(request));
                for (Map<String, AttributeValue> item : got.responses().getOrDefault(table.name, List.of())) {
                    found.put(str(item, "pk") + "\n" + str(item, "sk"), item);
                }
                pending = got.hasUnprocessedKeys() ? got.unprocessedKeys() : Map.of();
                if (!pending.isEmpty()) {
                    Table.backoff(attempt);
                }
            }
        }
        List<Map<String, AttributeValue>> ordered = new ArrayList<>(keys.size());
        for (Map<String, AttributeValue> key : keys) {
            Map<String, AttributeValue> item = found.get(str(key, "pk") + "\n" + str(key, "sk"));
            if (item != null) {
                ordered.add(item);
            }
        }
        return ordered;
    }
}
