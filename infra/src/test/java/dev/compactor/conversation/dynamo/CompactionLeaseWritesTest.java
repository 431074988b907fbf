package dev.compactor.conversation.dynamo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.app.Services;
import dev.compactor.compaction.CompactionService;
import dev.compactor.conversation.ConversationHead;
import dev.compactor.conversation.Ids;
import dev.compactor.llm.SummaryResult;
import dev.compactor.llm.TokenUsage;
import dev.compactor.local.command.Seeder;
import dev.compactor.local.testing.TestDynamo;
import dev.compactor.support.Env;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * What the compaction lease costs in writes, as DynamoDB Local reports each write's capacity
 * ({@code ReturnConsumedCapacity: TOTAL}, asked by an interceptor so the store's code runs as in
 * production): one standard write to take it, nothing to clear it (the commit's own head update
 * removes it), and a commit transaction of the same actions and units as without it.
 */
class CompactionLeaseWritesTest {
    private final TestDynamo local = TestDynamo.get();
    private final String table = local.newTable();
    private final Writes writes = new Writes();
    private final AtomicReference<Runnable> duringModelCall = new AtomicReference<>(() -> { });
    private final Services services = local.services(table, handle -> request -> {
        duringModelCall.get().run();
        return new SummaryResult("The user moved the invoices to the new ledger.", SummaryResult.LLM, handle, TokenUsage.NONE, 1);
    }, writes);

    /** One write call: its operation, the transaction's action count (1 for an UpdateItem) and its write units. */
    record Write(String operation, int actions, double units) {}

    static final class Writes implements ExecutionInterceptor {
        private final List<Write> calls = new ArrayList<>();
        /** A permit per UpdateItem done, so a test can wait for the heartbeat's. */
        final Semaphore updates = new Semaphore(0);

        synchronized List<Write> take() {
            List<Write> out = List.copyOf(calls);
            calls.clear();
            return out;
        }

        @Override
        public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
            return switch (context.request()) {
                case TransactWriteItemsRequest r -> r.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
                case UpdateItemRequest r -> r.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
                default -> context.request();
            };
        }

        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            Write write = switch (context.response()) {
                case TransactWriteItemsResponse r -> new Write("TransactWriteItems",
                        ((TransactWriteItemsRequest) context.request()).transactItems().size(),
                        r.consumedCapacity().stream().mapToDouble(ConsumedCapacity::capacityUnits).sum());
                case UpdateItemResponse r -> new Write("UpdateItem", 1, r.consumedCapacity().capacityUnits());
                default -> null;
            };
            if (write != null) {
                synchronized (this) {
                    calls.add(write);
                }
            }
            if (write != null && write.operation().equals("UpdateItem")) {
                updates.release();
            }
        }
    }

    @Test
    void theLeaseCostsOneWriteAndTheCommitNothingMore() {
        String leased = seeded();
        writes.take();
        compact(leased);
        List<Write> withLease = writes.take();

        // The same compaction of the same conversation, its lease removed before the commit: the commit as it was without one.
        String unleased = seeded();
        AtomicReference<Map<String, AttributeValue>> headWhileLeased = new AtomicReference<>();
        duringModelCall.set(() -> {
            headWhileLeased.set(headItem(unleased));
            ConversationHead head = services.store().findConversation(Seeder.TENANT, unleased).orElseThrow();
            services.store().releaseLease(Seeder.TENANT, unleased, head.lease());
        });
        writes.take();
        compact(unleased);
        List<Write> withoutLease = writes.take();

        assertThat(withLease).extracting(Write::operation).containsExactly("UpdateItem", "TransactWriteItems");
        assertThat(withLease.get(0).units()).as("taking the lease: one standard write of a head under 1 KB").isEqualTo(1.0);
        assertThat(withoutLease).extracting(Write::operation).containsExactly("UpdateItem", "UpdateItem", "TransactWriteItems");
        Write commit = withLease.get(1);
        Write commitWithoutLease = withoutLease.get(2);
        assertThat(commit.actions()).isEqualTo(commitWithoutLease.actions());
        assertThat(commit.units()).isEqualTo(commitWithoutLease.units());
        // Why: the lease's four attributes leave the head in the same kilobyte.
        Map<String, AttributeValue> head = headWhileLeased.get();
        Map<String, AttributeValue> bare = new HashMap<>(head);
        List.of(Heads.LEASE_GEN, Heads.LEASE_BY, Heads.LEASE_ID, Heads.LEASE_UNTIL).forEach(bare::remove);
        assertThat(ItemSize.of(head) - ItemSize.of(bare)).isLessThan(100);
        assertThat(ItemSize.of(head)).isLessThan(1024);
    }

    @Test
    void eachHeartbeatOfALongCompactionCostsOneWriteAndTheCommitNothingMore() throws Exception {
        String quick = seeded();
        writes.take();
        compact(quick);
        Write commitWithoutBeats = writes.take().get(1);

        Map<String, String> vars = new HashMap<>(local.env(table).vars());
        vars.put(Env.COMPACTION_LEASE_SECONDS, "5");
        vars.put(Env.COMPACTION_HEARTBEAT_SECONDS, "0.05");
        Services beating = local.services(new Env(vars), handle -> request -> {
            duringModelCall.get().run();
            return new SummaryResult("The user moved the invoices to the new ledger.", SummaryResult.LLM, handle, TokenUsage.NONE, 1);
        }, writes);
        String slow = seeded();
        writes.take();
        writes.updates.drainPermits();
        // The model call lasts until the take and three beats were written.
        duringModelCall.set(() -> {
            try {
                assertThat(writes.updates.tryAcquire(4, 60, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        beating.compaction().compact(Seeder.TENANT, CompactionService.Target.conversation(slow), null, "manual",
                Instant.now().plusSeconds(30));
        List<Write> withBeats = writes.take();

        assertThat(withBeats.getFirst().operation()).isEqualTo("UpdateItem");
        assertThat(withBeats.getLast().operation()).isEqualTo("TransactWriteItems");
        List<Write> beats = withBeats.subList(1, withBeats.size() - 1);
        assertThat(beats).hasSizeGreaterThanOrEqualTo(3).allSatisfy(beat -> {
            assertThat(beat.operation()).isEqualTo("UpdateItem");
            assertThat(beat.units()).as("a beat: one standard write of a head under 1 KB").isEqualTo(1.0);
        });
        assertThat(withBeats.getLast().actions()).isEqualTo(commitWithoutBeats.actions());
        assertThat(withBeats.getLast().units()).isEqualTo(commitWithoutBeats.units());
    }

    private String seeded() {
        String id = Ids.newConversationId();
        Seeder.seed(services.store(), Seeder.SAMPLE_AGENT_ID, id, "local/extractive", Seeder.CONTEXT_WINDOW);
        return id;
    }

    private void compact(String id) {
        services.compaction().compact(Seeder.TENANT, CompactionService.Target.conversation(id), null, "manual",
                Instant.now().plusSeconds(30));
    }

    private Map<String, AttributeValue> headItem(String id) {
        return services.dynamo().getItem(r -> r.tableName(table).consistentRead(true)
                .key(Attr.key(Keys.conversation(Seeder.TENANT, id), Keys.HEAD))).item();
    }
}
