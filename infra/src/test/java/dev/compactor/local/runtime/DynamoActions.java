package dev.compactor.local.runtime;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Records the IAM actions of every DynamoDB call a client makes, as IAM authorises them: a
 * transaction as each of its puts, updates, deletes and condition checks, a batch once per table,
 * a query or scan of an index on the index's ARN, and an item's partition key as
 * {@code dynamodb:LeadingKeys}.
 */
public final class DynamoActions implements ExecutionInterceptor {
    private static final String LEADING_KEYS = "dynamodb:LeadingKeys";

    private final String partitionKey;
    private final List<AwsAction> recorded = new ArrayList<>();

    /** @param partitionKey the table's partition key attribute (the value {@code dynamodb:LeadingKeys} reads) */
    public DynamoActions(String partitionKey) {
        this.partitionKey = partitionKey;
    }

    public synchronized List<AwsAction> recorded() {
        return List.copyOf(recorded);
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        List<AwsAction> actions = actions(context.request());
        synchronized (this) {
            recorded.addAll(actions);
        }
    }

    private List<AwsAction> actions(SdkRequest request) {
        return switch (request) {
            case TransactWriteItemsRequest t -> t.transactItems().stream().map(this::action).toList();
            case TransactGetItemsRequest t -> t.transactItems().stream().map(i -> item("GetItem", i.get().tableName(), i.get().key()))
                    .toList();
            case BatchGetItemRequest b -> b.requestItems().entrySet().stream()
                    .map(e -> item("BatchGetItem", e.getKey(), e.getValue().keys())).toList();
            case BatchWriteItemRequest b -> b.requestItems().entrySet().stream()
                    .map(e -> item("BatchWriteItem", e.getKey(), e.getValue().stream().map(DynamoActions::key).toList())).toList();
            default -> List.of(single(request));
        };
    }

    private AwsAction action(TransactWriteItem item) {
        if (item.put() != null) {
            return item("PutItem", item.put().tableName(), item.put().item());
        }
        if (item.update() != null) {
            return item("UpdateItem", item.update().tableName(), item.update().key());
        }
        if (item.delete() != null) {
            return item("DeleteItem", item.delete().tableName(), item.delete().key());
        }
        return item("ConditionCheckItem", item.conditionCheck().tableName(), item.conditionCheck().key());
    }

    private static Map<String, AttributeValue> key(WriteRequest write) {
        return write.putRequest() != null ? write.putRequest().item() : write.deleteRequest().key();
    }

    /** Any other operation: its name is its IAM action, on its table or index; an item's key gives the leading key. */
    @SuppressWarnings("unchecked")
    private AwsAction single(SdkRequest request) {
        String operation = request.getClass().getSimpleName().replaceFirst("Request$", "");
        String table = request.getValueForField("TableName", String.class)
                .orElseThrow(() -> new IllegalStateException(operation + " names no table; teach DynamoActions its resource"));
        String resource = DeployedStack.tableArn(table) + request.getValueForField("IndexName", String.class).map(i -> "/index/" + i)
                .orElse("");
        Map<String, AttributeValue> key = request.getValueForField("Key", Map.class)
                .or(() -> request.getValueForField("Item", Map.class)).orElse(null);
        return key == null ? new AwsAction("dynamodb:" + operation, resource)
                : new AwsAction("dynamodb:" + operation, resource, Map.of(LEADING_KEYS, List.of(key.get(partitionKey).s())));
    }

    private AwsAction item(String operation, String table, Map<String, AttributeValue> key) {
        return item(operation, table, List.of(key));
    }

    private AwsAction item(String operation, String table, Collection<Map<String, AttributeValue>> keys) {
        return new AwsAction("dynamodb:" + operation, DeployedStack.tableArn(table),
                Map.of(LEADING_KEYS, keys.stream().map(k -> k.get(partitionKey).s()).distinct().toList()));
    }
}
