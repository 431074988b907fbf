package dev.compactor.conversation.dynamo;

import static dev.compactor.conversation.dynamo.Attr.n;
import static dev.compactor.conversation.dynamo.Attr.num;
import static dev.compactor.conversation.dynamo.Attr.putString;
import static dev.compactor.conversation.dynamo.Attr.s;
import static dev.compactor.conversation.dynamo.Attr.str;

import dev.compactor.conversation.MonthlyUsage;
import dev.compactor.conversation.UsageRecord;
import dev.compactor.conversation.UsageStore;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Usage records and each tenant's monthly counters (layout in {@link Keys}). A call is metered
 * by two writes in one transaction: its record, on condition that it does not exist yet, and
 * atomic increments of its month's counters. A successful compaction makes them part of its
 * commit; a failed call or job writes them alone. Either way a call repeated for any reason
 * (an SDK retry, a redelivered job) meets its own record and adds nothing.
 */
public final class DynamoUsage implements UsageStore {
    private final Table table;

    public DynamoUsage(DynamoDbClient dynamo, String tableName) {
        this(new Table(dynamo, tableName));
    }

    DynamoUsage(Table table) {
        this.table = table;
    }

    /** The record (first) and the counter update that meter {@code record}. */
    List<TransactWriteItem> writes(UsageRecord record) {
        String pk = Keys.usage(record.tenant(), record.month());
        Map<String, AttributeValue> increments = new LinkedHashMap<>();
        boolean ok = UsageRecord.SUCCEEDED.equals(record.outcome());
        increments.put("calls", n(1));
        increments.put("succeeded", n(ok ? 1 : 0));
        increments.put("failed", n(ok ? 0 : 1));
        increments.put("input_tokens", n(record.inputTokens()));
        increments.put("output_tokens", n(record.outputTokens()));
        increments.put("cache_read_tokens", n(record.cacheReadTokens()));
        increments.put("cache_write_tokens", n(record.cacheWriteTokens()));
        increments.put("latency_ms", n(record.latencyMs()));
        increments.put("cost_usd", AttributeValue.fromN(cost(record).toPlainString()));
        increments.put("unpriced_calls", n(record.costUsd() == null && record.provider() != null ? 1 : 0));
        StringBuilder add = new StringBuilder("SET #tenant = :tenant, #month = :month ADD ");
        Map<String, String> names = new HashMap<>(Map.of("#tenant", "tenant", "#month", "month"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":tenant", s(record.tenant()), ":month", s(record.month())));
        int i = 0;
        for (Map.Entry<String, AttributeValue> e : increments.entrySet()) {
            add.append(i == 0 ? "" : ", ").append("#c").append(i).append(" :c").append(i);
            names.put("#c" + i, e.getKey());
            values.put(":c" + i, e.getValue());
            i++;
        }
        return List.of(
                TransactWriteItem.builder().put(Put.builder().tableName(table.name).item(item(pk, record))
                        .conditionExpression("attribute_not_exists(sk)").build()).build(),
                TransactWriteItem.builder().update(Update.builder().tableName(table.name).key(Attr.key(pk, Keys.USAGE_TOTALS))
                        .updateExpression(add.toString()).expressionAttributeNames(names).expressionAttributeValues(values)
                        .build()).build());
    }

    @Override
    public void record(UsageRecord record) {
        transactOnce(writes(record));
    }

    /**
     * Runs a transaction whose first action is a usage record's conditional put: a record that
     * already exists means the call was metered before, and the whole transaction is not needed.
     */
    void transactOnce(List<TransactWriteItem> writes) {
        for (int attempt = 1; ; attempt++) {
            try {
                table.transact(writes);
                return;
            } catch (TransactionCanceledException e) {
                if ("ConditionalCheckFailed".equals(Table.reason(e, 0))) {
                    return;
                }
                if (attempt >= Table.MAX_ATTEMPTS || !Table.contended(e)) {
                    throw e;
                }
                Table.backoff(attempt);
            }
        }
    }

    @Override
    public MonthlyUsage month(String tenant, String month, String cursor, int limit) {
        String pk = Keys.usage(tenant, month);
        MonthlyUsage.Totals totals = table.get(pk, Keys.USAGE_TOTALS).map(DynamoUsage::totals).orElse(MonthlyUsage.Totals.NONE);
        String exclusive = cursor == null ? null : Keys.USAGE_RECORDS_FROM + cursor;
        List<UsageRecord> records = new ArrayList<>();
        boolean[] more = {false};
        table.range(pk, Keys.USAGE_RECORDS_FROM, exclusive == null ? Keys.USAGE_RECORDS_TO : exclusive, false, null, limit + 2, item -> {
            if (str(item, "sk").equals(exclusive)) {
                return true;
            }
            if (records.size() == limit) {
                more[0] = true;
                return false;
            }
            records.add(record(tenant, item));
            return true;
        });
        return new MonthlyUsage(tenant, month, totals, records, more[0] ? records.get(records.size() - 1).cursor() : null);
    }

    private static BigDecimal cost(UsageRecord record) {
        return record.costUsd() == null ? BigDecimal.ZERO : BigDecimal.valueOf(record.costUsd());
    }

    private static Map<String, AttributeValue> item(String pk, UsageRecord r) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", s(pk));
        item.put("sk", s(Keys.usageRecord(r.startedAtText(), r.callId())));
        item.put("call_id", s(r.callId()));
        item.put("started_at", s(r.startedAtText()));
        putString(item, "conversation_id", r.conversationId());
        putString(item, "job_id", r.jobId());
        putString(item, "mode", r.mode());
        putString(item, "provider", r.provider());
        putString(item, "model", r.model());
        item.put("input_tokens", n(r.inputTokens()));
        item.put("output_tokens", n(r.outputTokens()));
        item.put("cache_read_tokens", n(r.cacheReadTokens()));
        item.put("cache_write_tokens", n(r.cacheWriteTokens()));
        item.put("latency_ms", n(r.latencyMs()));
        if (r.costUsd() != null) {
            item.put("cost_usd", AttributeValue.fromN(cost(r).toPlainString()));
        }
        item.put("status", n(r.status()));
        putString(item, "error", r.error());
        putString(item, "usage_rejected", r.usageRejected());
        return item;
    }

    private static UsageRecord record(String tenant, Map<String, AttributeValue> item) {
        AttributeValue cost = item.get("cost_usd");
        return new UsageRecord(tenant, str(item, "call_id"), Instant.parse(str(item, "started_at")), str(item, "conversation_id"),
                str(item, "job_id"), str(item, "mode"), str(item, "provider"), str(item, "model"), num(item, "input_tokens"),
                num(item, "output_tokens"), num(item, "cache_read_tokens"), num(item, "cache_write_tokens"),
                num(item, "latency_ms"), cost == null ? null : Double.valueOf(cost.n()), (int) num(item, "status"),
                str(item, "error"), str(item, "usage_rejected"));
    }

    private static MonthlyUsage.Totals totals(Map<String, AttributeValue> item) {
        AttributeValue cost = item.get("cost_usd");
        return new MonthlyUsage.Totals(num(item, "calls"), num(item, "succeeded"), num(item, "failed"), num(item, "input_tokens"),
                num(item, "output_tokens"), num(item, "cache_read_tokens"), num(item, "cache_write_tokens"),
                num(item, "latency_ms"), cost == null ? BigDecimal.ZERO : new BigDecimal(cost.n()), num(item, "unpriced_calls"));
    }
}
