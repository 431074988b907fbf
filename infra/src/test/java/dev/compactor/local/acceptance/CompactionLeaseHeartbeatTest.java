package dev.compactor.local.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.compactor.api.ApiHandler;
import dev.compactor.api.ApiResponse;
import dev.compactor.app.Services;
import dev.compactor.batch.BatchWorker;
import dev.compactor.batch.DueMessage;
import dev.compactor.batch.Outcome;
import dev.compactor.compaction.CompactionService;
import dev.compactor.conversation.CompactionLease;
import dev.compactor.conversation.DueState;
import dev.compactor.conversation.Ids;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.Role;
import dev.compactor.events.Trigger;
import dev.compactor.llm.SummaryResult;
import dev.compactor.llm.TokenUsage;
import dev.compactor.local.command.Seeder;
import dev.compactor.local.testing.ApiEvents;
import dev.compactor.local.testing.Latches;
import dev.compactor.local.testing.ShiftedClock;
import dev.compactor.local.testing.TestDynamo;
import dev.compactor.support.Env;
import dev.compactor.support.JsonMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The compaction lease's heartbeat, through the real worker, handler, store and DynamoDB Local:
 * a live holder's lease keeps moving on, so a request keeps waiting for it; a holder whose beats
 * stopped (it crashed) is taken over one lease later, long before its deadline; a beat never
 * brings back a lease the commit removed; appends between beats lose nothing. The lease (5 s) and
 * heartbeat (50 ms) are configured short; the clock is the system clock plus an offset the test
 * moves to run a lease out, and an interceptor on the DynamoDB client sees every beat (the one
 * {@code UpdateItem} that sets only {@code lease_until}), so the test waits on beats, not on time.
 */
class CompactionLeaseHeartbeatTest {
    static final Duration LEASE = Duration.ofSeconds(5);
    private static final String BEAT = "SET lease_until = :until";

    private final TestDynamo local = TestDynamo.get();
    private final String table = local.newTable();
    private final ShiftedClock clock = new ShiftedClock();
    private final Beats beats = new Beats();
    private final AtomicInteger modelCalls = new AtomicInteger();
    private final AtomicReference<Runnable> duringModelCall = new AtomicReference<>(() -> { });
    private final Services services = services();
    private final ApiHandler handler = new ApiHandler(services);
    private final BatchWorker worker = new BatchWorker(services.compaction());
    private final String conversationId = Ids.newConversationId();
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final CountDownLatch holderInModel = new CountDownLatch(1);
    private final CountDownLatch releaseHolder = new CountDownLatch(1);

    {
        Seeder.seed(services.store(), Seeder.SAMPLE_AGENT_ID, conversationId, "local/extractive", Seeder.CONTEXT_WINDOW);
    }

    private Services services() {
        Map<String, String> vars = new HashMap<>(local.env(table).vars());
        vars.put(Env.COMPACTION_LEASE_SECONDS, String.valueOf(LEASE.toSeconds()));
        vars.put(Env.COMPACTION_HEARTBEAT_SECONDS, "0.05");
        return new Services(new Env(vars), local.dynamo.client(beats), handle -> request -> {
            int call = modelCalls.incrementAndGet();
            duringModelCall.get().run();
            return new SummaryResult("summary number " + call, SummaryResult.LLM, handle, TokenUsage.NONE, 1);
        }, clock);
    }

    @AfterEach
    void stop() {
        releaseHolder.countDown();
        pool.shutdownNow();
        services.close();
    }

    /**
     * Sees the heartbeat's writes: each one that DynamoDB took releases a permit of {@link #taken},
     * each one its condition refused one of {@link #refused}. A lease id in {@link #dead} makes
     * that holder's beats fail before they reach DynamoDB, as if its process had died; a latch in
     * {@link #holdCommit} holds the commit transaction's thread, after it committed, until released.
     */
    static final class Beats implements ExecutionInterceptor {
        final Semaphore taken = new Semaphore(0);
        final Semaphore refused = new Semaphore(0);
        final AtomicReference<String> dead = new AtomicReference<>();
        final AtomicReference<CountDownLatch> holdCommit = new AtomicReference<>();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof UpdateItemRequest r && BEAT.equals(r.updateExpression())
                    && r.expressionAttributeValues().get(":id").s().equals(dead.get())) {
                throw new IllegalStateException("the holder's process is gone");
            }
        }

        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof UpdateItemRequest r && BEAT.equals(r.updateExpression())) {
                taken.release();
            }
            CountDownLatch hold = holdCommit.get();
            if (context.request() instanceof TransactWriteItemsRequest && hold != null && holdCommit.compareAndSet(hold, null)) {
                Latches.await(hold);
            }
        }

        @Override
        public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof UpdateItemRequest r && BEAT.equals(r.updateExpression())
                    && context.exception() instanceof ConditionalCheckFailedException) {
                refused.release();
            }
        }
    }

    @Test
    void aLiveHoldersBeatsMoveItsLeaseOnSoARequestKeepsWaitingPastTheFirstLease() throws Exception {
        holdModelCall(null);
        Future<Outcome> due = pool.submit(() -> worker.compact(dueMessage(), clock.instant().plusSeconds(600)));
        Latches.await(holderInModel);
        Instant taken = lease().until();
        assertThat(taken).as("taken for one lease, not until its deadline").isBefore(clock.instant().plus(LEASE).plusSeconds(1));

        // Past the lease it was taken with: only its heartbeat can keep it.
        clock.advance(LEASE.plusSeconds(1));
        Instant ranOut = clock.instant();
        beats.taken.drainPermits();
        awaitBeats(3);
        Instant renewed = lease().until();
        AtomicReference<Thread> waiting = new AtomicReference<>();
        Future<ApiResponse> request = pool.submit(() -> {
            waiting.set(Thread.currentThread());
            return compact(Duration.ofSeconds(30));
        });
        awaitCondition(() -> waiting.get() != null && clock.readsBy(waiting.get()) >= 8, "the request polled the head");
        awaitBeats(3);
        Outcome skipped = worker.compact(dueMessage(), clock.instant().plusSeconds(60));

        assertThat(renewed).as("live again after the lease it was taken with ran out").isAfter(ranOut);
        assertThat(lease().until()).isAfter(renewed);
        assertThat(request.isDone()).as("the request still waits for the live holder").isFalse();
        assertThat(skipped.kind()).isEqualTo(Outcome.Kind.SKIPPED);
        assertThat(modelCalls.get()).isEqualTo(1);
        releaseHolder.countDown();
        assertThat(due.get(60, TimeUnit.SECONDS).kind()).isEqualTo(Outcome.Kind.COMPACTED);
        ApiResponse answer = request.get(60, TimeUnit.SECONDS);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(tree(answer.body()).get("summary").asText()).as("the holder's result").isEqualTo("summary number 1");
        assertThat(modelCalls.get()).isEqualTo(1);
        assertThat(generation()).isEqualTo(1);
    }

    @Test
    void aCrashedHoldersLeaseIsTakenOverOneLeaseLaterLongBeforeItsDeadline() throws Exception {
        holdModelCall(new IllegalStateException("the worker's sandbox was killed"));
        Future<Outcome> due = pool.submit(() -> worker.compact(dueMessage(), clock.instant().plusSeconds(600)));
        Latches.await(holderInModel);
        awaitBeats(1);
        // The holder's process dies: its beats stop, nothing releases its lease, its thread stays on the latch.
        beats.dead.set(lease().id());
        beats.taken.drainPermits();

        AtomicReference<Thread> waiting = new AtomicReference<>();
        Future<ApiResponse> request = pool.submit(() -> {
            waiting.set(Thread.currentThread());
            return compact(Duration.ofSeconds(30));
        });
        awaitCondition(() -> waiting.get() != null && clock.readsBy(waiting.get()) >= 8, "the request polled the head");
        assertThat(request.isDone()).as("the lease is still live").isFalse();
        // Past the lease, ten minutes before the holder's deadline.
        clock.advance(LEASE.plusSeconds(1));

        ApiResponse answer = request.get(60, TimeUnit.SECONDS);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(tree(answer.body()).get("summary").asText()).as("the taker's own model call").isEqualTo("summary number 2");
        assertThat(tree(answer.body()).get("compaction").has("trigger")).as("its own compaction").isFalse();
        assertThat(modelCalls.get()).isEqualTo(2);
        assertThat(generation()).isEqualTo(1);

        releaseHolder.countDown();
        assertThat(due.get(60, TimeUnit.SECONDS).kind()).as("the crashed holder never commits").isEqualTo(Outcome.Kind.FAILED);
        assertThat(generation()).isEqualTo(1);
        assertThat(services.store().findConversation(Seeder.TENANT, conversationId).orElseThrow().lease()).isNull();
    }

    @Test
    void aBeatAfterTheCommitRemovedTheLeaseIsRefusedAndBringsNothingBack() {
        CountDownLatch afterCommit = new CountDownLatch(1);
        beats.holdCommit.set(afterCommit);
        // Hold the compaction between its commit and the heartbeat's stop until a beat has been refused.
        pool.submit(() -> {
            assertThat(beats.refused.tryAcquire(60, TimeUnit.SECONDS)).isTrue();
            afterCommit.countDown();
            return null;
        });

        CompactionService.Result result = services.compaction().compact(Seeder.TENANT,
                CompactionService.Target.conversation(conversationId), null, "manual", clock.instant().plusSeconds(600));

        assertThat(result.committed().generation()).isEqualTo(1);
        assertThat(beats.holdCommit.get()).as("the commit was held").isNull();
        assertThat(headItem()).as("no lease attribute came back").doesNotContainKeys("lease_gen", "lease_by", "lease_id",
                "lease_until");
    }

    @Test
    void appendsBetweenBeatsOfARunningCompactionAllLand() throws Exception {
        holdModelCall(null);
        long nextSeq = services.store().findConversation(Seeder.TENANT, conversationId).orElseThrow().nextSeq();
        Future<Outcome> due = pool.submit(() -> worker.compact(dueMessage(), clock.instant().plusSeconds(600)));
        Latches.await(holderInModel);

        List<String> appended = new ArrayList<>();
        for (int round = 0; round < 10; round++) {
            awaitBeats(1);
            for (Message m : services.store().append(Seeder.TENANT, conversationId, List.of(
                    Message.text(Role.USER, "question " + round), Message.text(Role.ASSISTANT, "answer " + round)))) {
                appended.add(m.id());
            }
        }
        awaitBeats(1);
        releaseHolder.countDown();

        assertThat(due.get(60, TimeUnit.SECONDS).kind()).isEqualTo(Outcome.Kind.COMPACTED);
        assertThat(generation()).isEqualTo(1);
        assertThat(services.store().findConversation(Seeder.TENANT, conversationId).orElseThrow().nextSeq())
                .isEqualTo(nextSeq + appended.size());
        assertThat(services.store().snapshot(Seeder.TENANT, conversationId).inContext()).extracting(Message::id)
                .as("every append is in the compacted context").containsSubsequence(appended);
    }

    /** The first model call signals it started, waits for the test, then answers or throws {@code failure}; later calls answer at once. */
    private void holdModelCall(RuntimeException failure) {
        duringModelCall.set(() -> {
            duringModelCall.set(() -> { });
            holderInModel.countDown();
            Latches.await(releaseHolder);
            if (failure != null) {
                throw failure;
            }
        });
    }

    private void awaitBeats(int count) throws InterruptedException {
        assertThat(beats.taken.tryAcquire(count, 60, TimeUnit.SECONDS)).as(count + " beats written").isTrue();
    }

    private DueMessage dueMessage() {
        return new DueMessage(Seeder.TENANT, conversationId, 0, 0, DueState.DUE, Trigger.DUE);
    }

    private ApiResponse compact(Duration within) {
        return handler.handle(ApiEvents.of(Seeder.TENANT, "POST", "/v1/conversations/{conversation_id}/compact")
                .param("conversation_id", conversationId).body(Map.of()), null, clock.instant().plus(within));
    }

    private CompactionLease lease() {
        return services.store().findConversation(Seeder.TENANT, conversationId).orElseThrow().lease();
    }

    private long generation() {
        return services.store().findConversation(Seeder.TENANT, conversationId).orElseThrow().compactionGen();
    }

    private Map<String, AttributeValue> headItem() {
        return services.dynamo().getItem(r -> r.tableName(table).consistentRead(true).key(Map.of(
                "pk", AttributeValue.fromS("T#" + Seeder.TENANT + "#C#" + conversationId), "sk", AttributeValue.fromS("HEAD")))).item();
    }

    private static JsonNode tree(String json) {
        try {
            return JsonMapper.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits for something the code under test does (observed, not assumed after a pause), for at most a minute. */
    private static void awaitCondition(BooleanSupplier condition, String what) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(until);
            Thread.sleep(10);
        }
    }
}
