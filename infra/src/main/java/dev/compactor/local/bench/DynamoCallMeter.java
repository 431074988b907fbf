package dev.compactor.local.bench;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;

/**
 * Records every DynamoDB call a client makes: the operation, its latency, and the capacity
 * DynamoDB reports for it (the meter asks for it with {@code ReturnConsumedCapacity}, so the
 * store's own code stays as it runs in production).
 */
public final class DynamoCallMeter implements ExecutionInterceptor {
    /** One call; {@code units} are read units for reads, write units for writes. */
    record Call(String operation, double millis, double units) {}

    private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>("bench.started");
    private final List<Call> calls = new ArrayList<>();

    synchronized List<Call> drain() {
        List<Call> out = List.copyOf(calls);
        calls.clear();
        return out;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        attributes.putAttribute(STARTED, System.nanoTime());
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        return switch (context.request()) {
            case GetItemRequest r -> r.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
            case QueryRequest r -> r.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
            case BatchGetItemRequest r -> r.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
            case TransactWriteItemsRequest r -> r.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
            default -> context.request();
        };
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        double millis = (System.nanoTime() - attributes.getAttribute(STARTED)) / 1e6;
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        synchronized (this) {
            calls.add(new Call(operation, millis, units(context.response())));
        }
    }

    private static double units(SdkResponse response) {
        return switch (response) {
            case GetItemResponse r -> units(r.consumedCapacity());
            case QueryResponse r -> units(r.consumedCapacity());
            case BatchGetItemResponse r -> r.consumedCapacity().stream().mapToDouble(DynamoCallMeter::units).sum();
            case TransactWriteItemsResponse r -> r.consumedCapacity().stream().mapToDouble(DynamoCallMeter::units).sum();
            default -> 0;
        };
    }

    private static double units(ConsumedCapacity c) {
        return c == null || c.capacityUnits() == null ? 0 : c.capacityUnits();
    }
}
