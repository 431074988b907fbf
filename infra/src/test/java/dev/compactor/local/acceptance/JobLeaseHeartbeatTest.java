package dev.compactor.local.acceptance;

import static dev.compactor.local.providers.ScriptedServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.api.ApiHandler;
import dev.compactor.api.ApiResponse;
import dev.compactor.api.CompactionWorkerHandler;
import dev.compactor.app.Services;
import dev.compactor.conversation.CompactionJob;
import dev.compactor.conversation.Ids;
import dev.compactor.llm.SummaryResult;
import dev.compactor.llm.TokenUsage;
import dev.compactor.local.command.Seeder;
import dev.compactor.local.providers.ScriptedServer;
import dev.compactor.local.testing.ApiEvents;
import dev.compactor.local.testing.Latches;
import dev.compactor.local.testing.ShiftedClock;
import dev.compactor.local.testing.TestDynamo;
import dev.compactor.support.Env;
import dev.compactor.support.Json;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * An asynchronous job's claim is a short lease its worker's heartbeat renews: while the worker
 * lives, a duplicate delivery of its event does nothing; once it crashed, Lambda's retry takes the
 * job over one lease after the last beat instead of finding the claim live until the first
 * worker's deadline; a beat after the job finished changes nothing. The API and worker handlers run
 * against DynamoDB Local with the lease (5 s) and heartbeat (50 ms) configured short; the clock is
 * the system clock plus an offset the test moves, and an interceptor on the DynamoDB client sees
 * every job beat (the {@code UpdateItem} that sets only the job's {@code lease_until}), so the test
 * waits on beats, not on time.
 */
class JobLeaseHeartbeatTest {
    static final String TENANT = Seeder.TENANT;
    static final Duration LEASE = Duration.ofSeconds(5);
    private static final String JOB_BEAT = "SET lease_until = :lease";
    private static final String COMPACTION_BEAT = "SET lease_until = :until";

    private final TestDynamo local = TestDynamo.get();
    private final String table = local.newTable();
    private final ShiftedClock clock = new ShiftedClock();
    private final Beats beats = new Beats();
    private final AtomicInteger modelCalls = new AtomicInteger();
    private final CountDownLatch firstInModel = new CountDownLatch(1);
    private final CountDownLatch releaseFirst = new CountDownLatch(1);
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final ScriptedServer lambda = new ScriptedServer();
    private final Services services = services();
    private final ApiHandler api = new ApiHandler(services);
    private final CompactionWorkerHandler worker = new CompactionWorkerHandler(services);
    private final String conversationId = Ids.newConversationId();

    JobLeaseHeartbeatTest() throws IOException {
        Seeder.seed(services.store(), Seeder.SAMPLE_AGENT_ID, conversationId, "local/extractive", Seeder.CONTEXT_WINDOW);
    }

    private Services services() {
        lambda.then(json(202, ""));
        Map<String, String> vars = new HashMap<>(local.env(table).vars());
        vars.put("AWS_ENDPOINT_URL_LAMBDA", lambda.uri().toString());
        vars.put(Env.COMPACTION_LEASE_SECONDS, String.valueOf(LEASE.toSeconds()));
        vars.put(Env.COMPACTION_HEARTBEAT_SECONDS, "0.05");
        // The first model call waits for the test; later ones answer at once.
        return new Services(new Env(vars), local.dynamo.client(beats), handle -> request -> {
            int call = modelCalls.incrementAndGet();
            if (call == 1) {
                firstInModel.countDown();
                Latches.await(releaseFirst);
            }
            return new SummaryResult("summary number " + call, SummaryResult.LLM, handle, TokenUsage.NONE, 1);
        }, clock);
    }

    @AfterEach
    void stop() {
        releaseFirst.countDown();
        pool.shutdownNow();
        lambda.close();
        services.close();
    }

    /**
     * Sees the job heartbeat's writes: each one DynamoDB took releases a permit of {@link #taken},
     * each one its condition refused one of {@link #refused}. The beats of a worker in
     * {@link #deadAttempts} and of a compaction lease in {@link #deadLeases} fail before they reach
     * DynamoDB, as if that worker's process had died; a latch in {@link #holdCommit} holds the next
     * transaction's thread, after it committed, until released.
     */
    static final class Beats implements ExecutionInterceptor {
        final Semaphore taken = new Semaphore(0);
        final Semaphore refused = new Semaphore(0);
        final Set<String> deadAttempts = ConcurrentHashMap.newKeySet();
        final Set<String> deadLeases = ConcurrentHashMap.newKeySet();
        final AtomicReference<CountDownLatch> holdCommit = new AtomicReference<>();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof UpdateItemRequest r && (JOB_BEAT.equals(r.updateExpression())
                    && deadAttempts.contains(r.expressionAttributeValues().get(":attempt").n())
                    || COMPACTION_BEAT.equals(r.updateExpression()) && deadLeases.contains(r.expressionAttributeValues().get(":id").s()))) {
                throw new IllegalStateException("the worker's process is gone");
            }
        }

        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof UpdateItemRequest r && JOB_BEAT.equals(r.updateExpression())) {
                taken.release();
            }
            CountDownLatch hold = holdCommit.get();
            if (context.request() instanceof TransactWriteItemsRequest && hold != null && holdCommit.compareAndSet(hold, null)) {
                Latches.await(hold);
            }
        }

        @Override
        public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof UpdateItemRequest r && JOB_BEAT.equals(r.updateExpression())
                    && context.exception() instanceof ConditionalCheckFailedException) {
                refused.release();
            }
        }
    }

    @Test
    void aLiveWorkersBeatsMoveItsClaimOnAndADuplicateDeliveryDoesNothing() throws Exception {
        String jobId = submit();
        Future<CompactionWorkerHandler.Report> first = deliver();
        Latches.await(firstInModel);
        Instant taken = job(jobId).leaseUntil();
        assertThat(taken).as("claimed for one lease, not until its deadline").isBefore(clock.instant().plus(LEASE).plusSeconds(1));

        // Past the lease it was claimed with: only its heartbeat can keep it.
        clock.advance(LEASE.plusSeconds(1));
        Instant ranOut = clock.instant();
        beats.taken.drainPermits();
        awaitBeats(3);
        Instant renewed = job(jobId).leaseUntil();
        CompactionWorkerHandler.Report duplicate = worker.handle(lambda.only().text(), clock.instant().plusSeconds(600));
        awaitBeats(3);

        assertThat(renewed).as("live again after the lease it was claimed with ran out").isAfter(ranOut);
        assertThat(job(jobId).leaseUntil()).isAfter(renewed);
        assertThat(duplicate.status()).isEqualTo("not_claimed");
        assertThat(job(jobId).attempt()).isEqualTo(1);
        releaseFirst.countDown();
        assertThat(first.get(60, TimeUnit.SECONDS).status()).isEqualTo("succeeded");
        CompactionJob done = job(jobId);
        assertThat(done.status()).isEqualTo(CompactionJob.SUCCEEDED);
        assertThat(done.attempt()).isEqualTo(1);
        assertThat(modelCalls.get()).isEqualTo(1);
    }

    @Test
    void aCrashedWorkersJobIsTakenOverByTheRetryOneLeaseLaterLongBeforeItsDeadline() throws Exception {
        String jobId = submit();
        Future<CompactionWorkerHandler.Report> crashed = deliver();
        Latches.await(firstInModel);
        awaitBeats(1);
        // The worker's process dies: its beats (the job's and the compaction's) stop, its thread stays on the latch.
        beats.deadAttempts.add("1");
        beats.deadLeases.add(services.store().findConversation(TENANT, conversationId).orElseThrow().lease().id());
        assertThat(job(jobId).leaseUntil()).as("the last beat's lease").isBefore(clock.instant().plus(LEASE).plusSeconds(1));
        CompactionWorkerHandler.Report early = worker.handle(lambda.only().text(), clock.instant().plusSeconds(600));
        assertThat(early.status()).as("a delivery before the lease ran out").isEqualTo("not_claimed");

        // Lambda's retry, one lease after the last beat and ten minutes before the crashed worker's deadline.
        clock.advance(LEASE.plusSeconds(1));
        CompactionWorkerHandler.Report retry = worker.handle(lambda.only().text(), clock.instant().plusSeconds(600));

        assertThat(retry.status()).isEqualTo("succeeded");
        CompactionJob done = job(jobId);
        assertThat(done.status()).isEqualTo(CompactionJob.SUCCEEDED);
        assertThat(done.attempt()).isEqualTo(2);
        assertThat(Json.parseObject(done.result())).as("the retry's result").containsEntry("summary", "summary number 2");
        assertThat(modelCalls.get()).as("the retry called the model once").isEqualTo(2);
        assertThat(services.store().findConversation(TENANT, conversationId).orElseThrow().compactionGen()).isEqualTo(1);

        releaseFirst.countDown();
        assertThat(crashed.get(60, TimeUnit.SECONDS).status()).as("the crashed worker's late commit fails on its attempt").isEqualTo("lost");
        assertThat(job(jobId)).as("the job as the retry finished it").isEqualTo(done);
        assertThat(services.store().findConversation(TENANT, conversationId).orElseThrow().compactionGen()).isEqualTo(1);
    }

    @Test
    void aBeatAfterTheJobFinishedIsRefusedAndChangesNothing() throws Exception {
        String jobId = submit();
        Future<CompactionWorkerHandler.Report> run = deliver();
        Latches.await(firstInModel);
        awaitBeats(1);
        // Hold the worker between the commit that finishes the job and the heartbeat's stop until a beat has been refused.
        CountDownLatch afterCommit = new CountDownLatch(1);
        beats.holdCommit.set(afterCommit);
        Future<Boolean> refusal = pool.submit(() -> {
            boolean refused = beats.refused.tryAcquire(60, TimeUnit.SECONDS);
            afterCommit.countDown();
            return refused;
        });
        releaseFirst.countDown();

        assertThat(refusal.get(90, TimeUnit.SECONDS)).as("a beat was refused").isTrue();
        assertThat(run.get(60, TimeUnit.SECONDS).status()).isEqualTo("succeeded");
        CompactionJob done = job(jobId);
        assertThat(done.status()).isEqualTo(CompactionJob.SUCCEEDED);
        assertThat(services.jobs().renewLease(done, clock.instant().plusSeconds(60))).as("a late beat's renewal").isFalse();
        assertThat(job(jobId)).as("nothing changed by the late beats").isEqualTo(done);
    }

    private String submit() {
        ApiResponse accepted = api.handle(ApiEvents.of(TENANT, "POST", AsyncJobsTest.COMPACT).param("conversation_id", conversationId)
                .header("Prefer", "respond-async").body(Map.of("compaction_settings", Map.of("mode", "all"))), null,
                clock.instant().plusSeconds(20));
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        return (String) Json.parseObject(accepted.body()).get("id");
    }

    /** Lambda's first delivery of the job's event, to a worker with its full 15 minutes ahead. */
    private Future<CompactionWorkerHandler.Report> deliver() {
        String event = lambda.only().text();
        Instant deadline = clock.instant().plusSeconds(600);
        return pool.submit(() -> worker.handle(event, deadline));
    }

    private CompactionJob job(String jobId) {
        return services.jobs().find(TENANT, jobId).orElseThrow();
    }

    private void awaitBeats(int count) throws InterruptedException {
        assertThat(beats.taken.tryAcquire(count, 30, TimeUnit.SECONDS)).as(count + " job beats written").isTrue();
    }
}
