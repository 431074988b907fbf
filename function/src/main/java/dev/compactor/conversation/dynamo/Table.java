package dev.compactor.conversation.dynamo;

import static dev.compactor.conversation.dynamo.Attr.s;

import dev.compactor.support.Backoff;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Predicate;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** The operations the store makes on its one table: reads (consistent unless asked otherwise), key-range queries, transactions. */
final class Table {
    /**
     * Where reads run beside the caller's (a context's fixed items, the next page of a range; the
     * SDK's client is thread-safe): virtual threads, so an idle function holds none.
     */
    static final Executor CONCURRENT = Executors.newVirtualThreadPerTaskExecutor();

    /** Attempts at a transaction that lost a race to a concurrent writer of the same item. */
    static final int MAX_ATTEMPTS = 40;
    private static final Backoff CONTENDED = new Backoff(Duration.ofMillis(10), Duration.ofMillis(200));

    final DynamoDbClient dynamo;
    final String name;

    Table(DynamoDbClient dynamo, String name) {
        this.dynamo = dynamo;
        this.name = name;
    }

    Optional<Map<String, AttributeValue>> get(String pk, String sk) {
        GetItemResponse got = dynamo.getItem(r -> r.tableName(name).consistentRead(true).key(Attr.key(pk, sk)));
        return got.hasItem() && !got.item().isEmpty() ? Optional.of(got.item()) : Optional.empty();
    }

    /** BatchGetItem takes at most 100 keys. */
    static final int BATCH_GET_KEYS = 100;

    /**
     * Items of partition {@code pk} by sort key, read consistently in as few requests as
     * BatchGetItem allows; keys without an item are absent from the result.
     */
    Map<String, Map<String, AttributeValue>> getAll(String pk, List<String> sortKeys) {
        return getAll(pk, sortKeys, true);
    }

    /**
     * As {@link #getAll(String, List)}; {@code consistent} false reads at half the units and may
     * miss an item written a moment ago (or return its previous version).
     */
    Map<String, Map<String, AttributeValue>> getAll(String pk, List<String> sortKeys, boolean consistent) {
        Map<String, Map<String, AttributeValue>> items = new HashMap<>();
        for (int from = 0; from < sortKeys.size(); from += BATCH_GET_KEYS) {
            List<Map<String, AttributeValue>> keys = new ArrayList<>();
            for (String sk : sortKeys.subList(from, Math.min(sortKeys.size(), from + BATCH_GET_KEYS))) {
                keys.add(Attr.key(pk, sk));
            }
            Map<String, KeysAndAttributes> pending = Map.of(name, KeysAndAttributes.builder().keys(keys).consistentRead(consistent).build());
            for (int attempt = 1; !pending.isEmpty(); attempt++) {
                Map<String, KeysAndAttributes> request = pending;
                BatchGetItemResponse got = dynamo.batchGetItem(r -> r.requestItems(request));
                for (Map<String, AttributeValue> item : got.responses().getOrDefault(name, List.of())) {
                    items.put(item.get("sk").s(), item);
                }
                pending = got.hasUnprocessedKeys() ? got.unprocessedKeys() : Map.of();
                if (!pending.isEmpty()) {
                    backoff(attempt);
                }
            }
        }
        return items;
    }

    /**
     * Items of partition {@code pk} with sort keys in {@code [from, to]}, in key order (or
     * reversed), handed to {@code each} until it returns false or the range ends.
     *
     * @param projection attributes to read, or null for all
     * @param pageSize items per request (the caller's expected need, so an early stop reads little), 0 for DynamoDB's 1 MB pages
     */
    void range(String pk, String from, String to, boolean forward, String projection, int pageSize,
               Predicate<Map<String, AttributeValue>> each) {
        range(pk, from, to, forward, projection, pageSize, true, each);
    }

    /**
     * As {@link #range(String, String, String, boolean, String, int, Predicate)}; {@code consistent}
     * false reads at half the units and may miss items written a moment ago.
     */
    void range(String pk, String from, String to, boolean forward, String projection, int pageSize, boolean consistent,
               Predicate<Map<String, AttributeValue>> each) {
        Map<String, AttributeValue> startKey = null;
        do {
            QueryRequest.Builder query = query(pk, from, to, consistent).scanIndexForward(forward);
            if (projection != null) {
                query.projectionExpression(projection);
            }
            if (pageSize > 0) {
                query.limit(pageSize);
            }
            if (startKey != null) {
                query.exclusiveStartKey(startKey);
            }
            QueryResponse page = dynamo.query(query.build());
            for (Map<String, AttributeValue> item : page.items()) {
                if (!each.test(item)) {
                    return;
                }
            }
            startKey = nextKey(page);
        } while (startKey != null);
    }

    /**
     * Every item of partition {@code pk} with sort keys in {@code [from, to]}, in key order, handed
     * to {@code each}. Each next page is requested before {@code each} handles the current one, so
     * that decoding a page overlaps reading the next: for reads that want the whole range, where
     * reading ahead wastes nothing.
     */
    void readAll(String pk, String from, String to, boolean consistent, Consumer<Map<String, AttributeValue>> each) {
        QueryResponse page = dynamo.query(query(pk, from, to, consistent).build());
        while (true) {
            Map<String, AttributeValue> startKey = nextKey(page);
            CompletableFuture<QueryResponse> next = startKey == null ? null : CompletableFuture.supplyAsync(
                    () -> dynamo.query(query(pk, from, to, consistent).exclusiveStartKey(startKey).build()), CONCURRENT);
            try {
                page.items().forEach(each);
            } catch (RuntimeException e) {
                if (next != null) {
                    // Nothing is left running behind a failed read.
                    next.exceptionally(failed -> null).join();
                }
                throw e;
            }
            if (next == null) {
                return;
            }
            page = join(next);
        }
    }

    /** A Query of partition {@code pk}'s sort keys in {@code [from, to]}. */
    private QueryRequest.Builder query(String pk, String from, String to, boolean consistent) {
        return QueryRequest.builder().tableName(name).consistentRead(consistent).keyConditionExpression("pk = :pk AND sk BETWEEN :from AND :to")
                .expressionAttributeValues(Map.of(":pk", s(pk), ":from", s(from), ":to", s(to)));
    }

    /** Where the page after {@code page} starts, or null after the last. */
    static Map<String, AttributeValue> nextKey(QueryResponse page) {
        return page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
    }

    /** The result of work done on another thread, failing as it would have on this one. */
    static <T> T join(CompletableFuture<T> work) {
        try {
            return work.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** BatchWriteItem takes at most 25 requests. */
    static final int BATCH_WRITE_REQUESTS = 25;

    /** Puts every item, in batches, unconditionally; retries what DynamoDB leaves unprocessed. */
    void putAll(List<Map<String, AttributeValue>> items) {
        batchWrite(items.stream().map(item -> WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build())
                .toList());
    }

    /**
     * Deletes the items with these keys, in BatchWriteItem batches, retrying unprocessed ones;
     * a key without an item deletes nothing.
     *
     * @return the number of keys
     */
    long deleteAll(List<Map<String, AttributeValue>> keys) {
        batchWrite(keys.stream().map(key -> WriteRequest.builder().deleteRequest(d -> d.key(key)).build()).toList());
        return keys.size();
    }

    private void batchWrite(List<WriteRequest> requests) {
        for (int from = 0; from < requests.size(); from += BATCH_WRITE_REQUESTS) {
            Map<String, List<WriteRequest>> pending = Map.of(name, requests.subList(from, Math.min(requests.size(), from + BATCH_WRITE_REQUESTS)));
            for (int attempt = 1; !pending.isEmpty(); attempt++) {
                Map<String, List<WriteRequest>> request = pending;
                BatchWriteItemResponse done = dynamo.batchWriteItem(r -> r.requestItems(request));
                pending = done.hasUnprocessedItems() ? done.unprocessedItems() : Map.of();
                if (!pending.isEmpty()) {
                    backoff(attempt);
                }
            }
        }
    }

    void transact(List<TransactWriteItem> writes) {
        dynamo.transactWriteItems(r -> r.transactItems(writes));
    }

    /** The cancellation code of action {@code index}, or null (also for a negative index: no such action). */
    static String reason(TransactionCanceledException e, int index) {
        if (index < 0 || !e.hasCancellationReasons() || e.cancellationReasons().size() <= index) {
            return null;
        }
        return e.cancellationReasons().get(index).code();
    }

    /** A concurrent transaction on the same items, or throttling: trying again can succeed. */
    static boolean contended(TransactionCanceledException e) {
        if (!e.hasCancellationReasons()) {
            return false;
        }
        for (CancellationReason reason : e.cancellationReasons()) {
            if ("TransactionConflict".equals(reason.code()) || "ThrottlingError".equals(reason.code())) {
                return true;
            }
        }
        return false;
    }

    /** Waits before retrying a contended write or unprocessed keys: 10 ms doubling to 200 ms, the one backoff policy. */
    static void backoff(int attempt) {
        pause(CONTENDED.delay(attempt, ThreadLocalRandom.current()).toMillis());
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry a write", e);
        }
    }
}
