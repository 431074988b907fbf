package dev.compactor.local.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.compactor.api.ApiHandler;
import dev.compactor.api.ApiResponse;
import dev.compactor.api.CompactionWorkerHandler;
import dev.compactor.app.AwsClients;
import dev.compactor.app.Services;
import dev.compactor.batch.BatchWorker;
import dev.compactor.batch.DueMessage;
import dev.compactor.batch.Outcome;
import dev.compactor.conversation.CompactionLease;
import dev.compactor.conversation.DueState;
import dev.compactor.conversation.Ids;
import dev.compactor.conversation.MonthlyUsage;
import dev.compactor.conversation.UsageRecord;
import dev.compactor.events.Trigger;
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
import dev.compactor.support.JsonMapper;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One model call per generation when a request and a background compaction (the due stream's or
 * discovery's worker) meet, through the real handler, worker, store and DynamoDB Local. The stub
 * summarizer counts its calls and holds a compaction mid-call on a latch; the clock is the system
 * clock plus an offset the test moves to make a lease run out, and counts each thread's reads so
 * the test sees a waiter go round.
 */
class CompactionLeaseTest {
    private final TestDynamo local = TestDynamo.get();
    private final String table = local.newTable();
    private final ShiftedClock clock = new ShiftedClock();
    private final AtomicInteger modelCalls = new AtomicInteger();
    private final AtomicReference<Runnable> duringModelCall = new AtomicReference<>(() -> { });
    private final Services services = local.services(table, handle -> request -> {
        int call = modelCalls.incrementAndGet();
        duringModelCall.get().run();
        return new SummaryResult("summary number " + call, SummaryResult.LLM, handle, new TokenUsage(1200, 80, 0, 0), 1);
    }, clock);
    private final ApiHandler handler = new ApiHandler(services);
    private final BatchWorker worker = new BatchWorker(services.compaction());
    private final String conversationId = Ids.newConversationId();
    private final int seededContext = seeded();
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final CountDownLatch holderInModel = new CountDownLatch(1);
    private final CountDownLatch releaseHolder = new CountDownLatch(1);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    private int seeded() {
        Seeder.seed(services.store(), Seeder.SAMPLE_AGENT_ID, conversationId, "local/extractive", Seeder.CONTEXT_WINDOW);
        return services.store().snapshot(Seeder.TENANT, conversationId).inContext().size();
    }

    /** The first model call signals it started, then waits for the test; later calls answer at once. */
    private void holdFirstModelCall() {
        duringModelCall.set(() -> {
            duringModelCall.set(() -> { });
            holderInModel.countDown();
            Latches.await(releaseHolder);
        });
    }

    @Test
    void aRequestMeetingTheDueCompactionWaitsForItAndAnswersWithItsResult() throws Exception {
        holdFirstModelCall();
        Future<Outcome> due = pool.submit(() -> worker.compact(dueMessage(0), clock.instant().plusSeconds(60)));
        Latches.await(holderInModel);

        Waiter request = waiter(() -> compact(Map.of(), Map.of()));
        awaitCondition(() -> request.rounds() >= 8, "the request polled the head while the due compaction ran");
        assertThat(request.future().isDone()).isFalse();
        releaseHolder.countDown();

        Outcome outcome = due.get(60, TimeUnit.SECONDS);
        ApiResponse answer = request.future().get(60, TimeUnit.SECONDS);
        assertThat(outcome.kind()).isEqualTo(Outcome.Kind.COMPACTED);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode body = tree(answer.body());
        assertThat(body.get("summary").asText()).isEqualTo("summary number 1");
        assertThat(body.get("num_messages_before").asInt()).isEqualTo(seededContext);
        assertThat(body.get("num_messages_after").asInt()).isEqualTo(services.store().snapshot(Seeder.TENANT, conversationId)
                .inContext().size());
        assertThat(body.get("compaction").get("generation").asLong()).isEqualTo(1);
        assertThat(body.get("compaction").get("trigger").asText()).isEqualTo("due");
        assertThat(body.get("compaction").get("conversation_id").asText()).isEqualTo(conversationId);
        assertThat(answer.headers()).as("this call used no model").doesNotContainKey("Usage-Input-Tokens");
        assertThat(modelCalls.get()).isEqualTo(1);
        assertThat(generation()).isEqualTo(1);
        // Metered as a call that succeeded without using a model.
        MonthlyUsage month = services.usage().month(Seeder.TENANT, YearMonth.now(ZoneOffset.UTC).toString(), null, 10);
        assertThat(month.records()).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(UsageRecord.SUCCEEDED);
            assertThat(r.inputTokens() + r.outputTokens()).isZero();
            assertThat(r.costUsd()).isZero();
        });
    }

    @Test
    void aRequestWhoseLeaseFindsTheDueCompactionCommittedSinceItsReadAnswersWithIt() {
        // The due compaction runs and commits after the request read the conversation, as the request takes its lease.
        AtomicReference<Outcome> due = new AtomicReference<>();
        clock.onReadInside("dev.compactor.conversation.dynamo.DynamoLeases", "takeLease",
                () -> due.set(worker.compact(dueMessage(0), clock.instant().plusSeconds(60))));

        ApiResponse answer = compact(Map.of(), Map.of());

        assertThat(due.get().kind()).isEqualTo(Outcome.Kind.COMPACTED);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode body = tree(answer.body());
        assertThat(body.get("summary").asText()).isEqualTo("summary number 1");
        assertThat(body.get("num_messages_before").asInt()).isEqualTo(seededContext);
        assertThat(body.get("compaction").get("generation").asLong()).isEqualTo(1);
        assertThat(body.get("compaction").get("trigger").asText()).as("the commit recorded who ran it").isEqualTo("due");
        assertThat(answer.headers()).as("this call used no model").doesNotContainKey("Usage-Input-Tokens");
        assertThat(modelCalls.get()).isEqualTo(1);
        assertThat(generation()).isEqualTo(1);
    }

    @Test
    void aRequestWhoseLeaseFindsAnotherClientsCompactionCommittedSinceItsReadAnswersWithItAsManual() {
        AtomicReference<ApiResponse> other = new AtomicReference<>();
        clock.onReadInside("dev.compactor.conversation.dynamo.DynamoLeases", "takeLease",
                () -> other.set(compact(Map.of(), Map.of())));

        ApiResponse answer = compact(Map.of(), Map.of());

        assertThat(other.get().status()).as(other.get().body()).isEqualTo(200);
        assertThat(tree(other.get().body()).get("compaction").has("trigger")).as("its own compaction").isFalse();
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode body = tree(answer.body());
        assertThat(body.get("summary").asText()).isEqualTo("summary number 1");
        assertThat(body.get("compaction").get("trigger").asText()).isEqualTo("manual");
        assertThat(modelCalls.get()).isEqualTo(1);
        assertThat(generation()).isEqualTo(1);
    }

    @Test
    void aCommitWrittenBeforeTriggersWereRecordedIsAdoptedAsUnknownAndListedWithoutOne() {
        // The due compaction commits between the request's read and its lease; its item then loses
        // the trigger attribute, as an item written before commits recorded it has none.
        AtomicReference<Outcome> due = new AtomicReference<>();
        clock.onReadInside("dev.compactor.conversation.dynamo.DynamoLeases", "takeLease", () -> {
            due.set(worker.compact(dueMessage(0), clock.instant().plusSeconds(60)));
            removeRecordedTriggers();
        });

        ApiResponse answer = compact(Map.of(), Map.of());

        assertThat(due.get().kind()).isEqualTo(Outcome.Kind.COMPACTED);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode body = tree(answer.body());
        assertThat(body.get("summary").asText()).isEqualTo("summary number 1");
        assertThat(body.get("compaction").get("trigger").asText()).isEqualTo("unknown");
        JsonNode listed = compactions();
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).has("trigger")).isTrue();
        assertThat(listed.get(0).get("trigger").isNull()).as(listed.toString()).isTrue();
        assertThat(modelCalls.get()).isEqualTo(1);
    }

    @Test
    void theCompactionsListShowsWhoRanEachCompaction() {
        assertThat(worker.compact(dueMessage(0), clock.instant().plusSeconds(60)).kind()).isEqualTo(Outcome.Kind.COMPACTED);
        ApiResponse manual = compact(Map.of("compaction_settings", Map.of("mode", "all")), Map.of());
        assertThat(manual.status()).as(manual.body()).isEqualTo(200);

        JsonNode listed = compactions();
        assertThat(listed).hasSize(2);
        assertThat(listed.get(0).get("generation").asLong()).isEqualTo(2);
        assertThat(listed.get(0).get("trigger").asText()).isEqualTo("manual");
        assertThat(listed.get(1).get("generation").asLong()).isEqualTo(1);
        assertThat(listed.get(1).get("trigger").asText()).isEqualTo("due");
    }

    @Test
    void anIdempotencyKeysReplayIsTheDueCompactionsAnswerItWaitedFor() throws Exception {
        holdFirstModelCall();
        Future<Outcome> due = pool.submit(() -> worker.compact(dueMessage(0), clock.instant().plusSeconds(60)));
        Latches.await(holderInModel);
        Map<String, String> key = Map.of("Idempotency-Key", "lease-adopt-0001");

        Waiter request = waiter(() -> compact(Map.of(), key));
        awaitCondition(() -> request.rounds() >= 8, "the request polled the head while the due compaction ran");
        releaseHolder.countDown();
        ApiResponse first = request.future().get(60, TimeUnit.SECONDS);
        ApiResponse again = compact(Map.of(), key);

        assertThat(due.get(60, TimeUnit.SECONDS).kind()).isEqualTo(Outcome.Kind.COMPACTED);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.headers()).containsEntry("Idempotent-Replayed", "true");
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(modelCalls.get()).isEqualTo(1);
        assertThat(generation()).isEqualTo(1);
    }

    @Test
    void aRequestWithSettingsOfItsOwnCompactsTheGenerationAfterTheDueOne() throws Exception {
        holdFirstModelCall();
        Future<Outcome> due = pool.submit(() -> worker.compact(dueMessage(0), clock.instant().plusSeconds(60)));
        Latches.await(holderInModel);

        Waiter request = waiter(() -> compact(Map.of("compaction_settings", Map.of("mode", "all")), Map.of()));
        awaitCondition(() -> request.rounds() >= 8, "the request polled the head while the due compaction ran");
        assertThat(modelCalls.get()).as("not while the due compaction runs").isEqualTo(1);
        releaseHolder.countDown();

        ApiResponse answer = request.future().get(60, TimeUnit.SECONDS);
        assertThat(due.get(60, TimeUnit.SECONDS).kind()).isEqualTo(Outcome.Kind.COMPACTED);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode compaction = tree(answer.body()).get("compaction");
        assertThat(compaction.get("generation").asLong()).isEqualTo(2);
        assertThat(compaction.get("mode_used").asText()).isEqualTo("all");
        assertThat(compaction.has("trigger")).as("its own compaction").isFalse();
        assertThat(modelCalls.get()).isEqualTo(2);
        assertThat(generation()).isEqualTo(2);
    }

    @Test
    void theWorkerSkipsTheGenerationARequestIsCompacting() throws Exception {
        holdFirstModelCall();
        Future<ApiResponse> request = pool.submit(() -> compact(Map.of(), Map.of()));
        Latches.await(holderInModel);

        Outcome due = worker.compact(dueMessage(0), clock.instant().plusSeconds(60));
        Outcome scheduled = worker.compact(new DueMessage(Seeder.TENANT, conversationId, 0, 0, DueState.DUE),
                clock.instant().plusSeconds(60));
        releaseHolder.countDown();
        ApiResponse answer = request.get(60, TimeUnit.SECONDS);

        assertThat(due.kind()).isEqualTo(Outcome.Kind.SKIPPED);
        assertThat(due.reason()).isEqualTo("in progress: a manual compaction of this generation is running");
        assertThat(scheduled.kind()).isEqualTo(Outcome.Kind.SKIPPED);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(tree(answer.body()).get("compaction").has("trigger")).isFalse();
        assertThat(modelCalls.get()).isEqualTo(1);
        assertThat(generation()).isEqualTo(1);
    }

    @Test
    void aBackgroundLeaseWhoseHolderDiedIsTakenOverOnceItRunsOut() throws Exception {
        // A worker that took the lease and died: nothing releases it.
        Instant until = clock.instant().plusSeconds(30);
        assertThat(services.store().takeLease(Seeder.TENANT, conversationId,
                new CompactionLease(0, CompactionLease.Holder.DUE, "dead-worker", until))).isEmpty();

        Waiter request = waiter(() -> compact(Map.of(), Map.of()));
        awaitCondition(() -> request.rounds() >= 8, "the request polled the head while the lease held");
        assertThat(request.future().isDone()).isFalse();
        assertThat(modelCalls.get()).isZero();
        // Past the lease, within the request's own 60 s.
        clock.advance(Duration.ofSeconds(31));

        ApiResponse answer = request.future().get(60, TimeUnit.SECONDS);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(tree(answer.body()).get("compaction").has("trigger")).as("its own compaction").isFalse();
        assertThat(modelCalls.get()).isEqualTo(1);
        assertThat(generation()).isEqualTo(1);
        assertThat(services.store().findConversation(Seeder.TENANT, conversationId).orElseThrow().lease())
                .as("the commit removed the lease").isNull();
    }

    @Test
    void aRequestsLeaseWhoseHolderDiedKeepsTheWorkerOutOnlyUntilItRunsOut() {
        Instant until = clock.instant().plusSeconds(40);
        assertThat(services.store().takeLease(Seeder.TENANT, conversationId,
                new CompactionLease(0, CompactionLease.Holder.MANUAL, "dead-request", until))).isEmpty();

        Outcome whileHeld = worker.compact(dueMessage(0), clock.instant().plusSeconds(60));
        clock.advance(Duration.ofSeconds(41));
        Outcome afterwards = worker.compact(dueMessage(0), clock.instant().plusSeconds(60));

        assertThat(whileHeld.kind()).isEqualTo(Outcome.Kind.SKIPPED);
        assertThat(afterwards.kind()).isEqualTo(Outcome.Kind.COMPACTED);
        assertThat(modelCalls.get()).isEqualTo(1);
        assertThat(generation()).isEqualTo(1);
    }

    @Test
    void aBackgroundCompactionThatFailsReleasesItsLeaseAndTheWaitingRequestCompacts() throws Exception {
        duringModelCall.set(() -> {
            duringModelCall.set(() -> { });
            holderInModel.countDown();
            Latches.await(releaseHolder);
            throw new IllegalStateException("the summarizer broke");
        });
        Future<Outcome> due = pool.submit(() -> worker.compact(dueMessage(0), clock.instant().plusSeconds(600)));
        Latches.await(holderInModel);

        Waiter request = waiter(() -> compact(Map.of(), Map.of()));
        awaitCondition(() -> request.rounds() >= 8, "the request polled the head while the due compaction ran");
        releaseHolder.countDown();

        assertThat(due.get(60, TimeUnit.SECONDS).kind()).isEqualTo(Outcome.Kind.FAILED);
        ApiResponse answer = request.future().get(60, TimeUnit.SECONDS);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(tree(answer.body()).get("summary").asText()).isEqualTo("summary number 2");
        assertThat(modelCalls.get()).isEqualTo(2);
        assertThat(generation()).isEqualTo(1);
    }

    @Test
    void aJobMeetingTheDueCompactionFinishesWithItsResult() throws Exception {
        try (ScriptedServer lambda = new ScriptedServer().then(ScriptedServer.json(202, ""))) {
            Map<String, String> vars = new HashMap<>(local.env(table).vars());
            vars.put("AWS_ENDPOINT_URL_LAMBDA", lambda.uri().toString());
            Env env = new Env(vars);
            Services withWorker = new Services(env, AwsClients.dynamo(env), handle -> request -> {
                int call = modelCalls.incrementAndGet();
                duringModelCall.get().run();
                return new SummaryResult("summary number " + call, SummaryResult.LLM, handle, TokenUsage.NONE, 1);
            }, clock);
            ApiHandler api = new ApiHandler(withWorker);
            ApiResponse accepted = api.handle(ApiEvents.of(Seeder.TENANT, "POST", "/v1/conversations/{conversation_id}/compact")
                    .param("conversation_id", conversationId).header("Prefer", "respond-async").body(Map.of()), null,
                    clock.instant().plusSeconds(20));
            assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
            holdFirstModelCall();
            Future<Outcome> due = pool.submit(() -> new BatchWorker(withWorker.compaction()).compact(dueMessage(0),
                    clock.instant().plusSeconds(60)));
            Latches.await(holderInModel);

            AtomicReference<Thread> thread = new AtomicReference<>();
            Future<CompactionWorkerHandler.Report> job = pool.submit(() -> {
                thread.set(Thread.currentThread());
                return new CompactionWorkerHandler(withWorker).handle(lambda.only().text(), clock.instant().plusSeconds(600));
            });
            awaitCondition(() -> thread.get() != null && clock.readsBy(thread.get()) >= 12, "the job polled the head");
            assertThat(job.isDone()).isFalse();
            releaseHolder.countDown();

            assertThat(due.get(60, TimeUnit.SECONDS).kind()).isEqualTo(Outcome.Kind.COMPACTED);
            assertThat(job.get(60, TimeUnit.SECONDS).status()).isEqualTo("succeeded");
            String jobId = tree(accepted.body()).get("id").asText();
            JsonNode done = tree(api.handle(ApiEvents.of(Seeder.TENANT, "GET", "/v1/compactions/{job_id}").param("job_id", jobId)
                    .body(null), null, clock.instant().plusSeconds(20)).body());
            assertThat(done.get("status").asText()).isEqualTo("succeeded");
            assertThat(done.get("result").get("summary").asText()).isEqualTo("summary number 1");
            assertThat(done.get("result").get("compaction").get("trigger").asText()).isEqualTo("due");
            assertThat(modelCalls.get()).isEqualTo(1);
            assertThat(generation()).isEqualTo(1);
        }
    }

    private DueMessage dueMessage(long generation) {
        return new DueMessage(Seeder.TENANT, conversationId, generation, 0, DueState.DUE, Trigger.DUE);
    }

    /** A call running on a thread of its own, whose reads of the clock show it going round. */
    private record Waiter(Future<ApiResponse> future, AtomicReference<Thread> thread, ShiftedClock clock) {
        long rounds() {
            return thread.get() == null ? 0 : clock.readsBy(thread.get());
        }
    }

    private Waiter waiter(java.util.concurrent.Callable<ApiResponse> call) {
        AtomicReference<Thread> thread = new AtomicReference<>();
        Future<ApiResponse> future = pool.submit(() -> {
            thread.set(Thread.currentThread());
            return call.call();
        });
        return new Waiter(future, thread, clock);
    }

    private ApiResponse compact(Map<String, Object> body, Map<String, String> headers) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("resource", "/v1/conversations/{conversation_id}/compact");
        event.put("path", "/v1/conversations/" + conversationId + "/compact");
        event.put("httpMethod", "POST");
        event.put("pathParameters", Map.of("conversation_id", conversationId));
        event.put("headers", headers);
        event.put("body", Json.write(body));
        return handler.handle(Json.write(event), null, clock.instant().plusSeconds(60));
    }

    /** {@code GET …/compactions}, newest first. */
    private JsonNode compactions() {
        ApiResponse listed = handler.handle(ApiEvents.of(Seeder.TENANT, "GET", "/v1/conversations/{conversation_id}/compactions")
                .param("conversation_id", conversationId).body(null), null, clock.instant().plusSeconds(20));
        assertThat(listed.status()).as(listed.body()).isEqualTo(200);
        return tree(listed.body());
    }

    /** Removes the trigger from every summary item of the table, as items committed before it was recorded lack it. */
    private void removeRecordedTriggers() {
        List<Map<String, AttributeValue>> recorded = services.dynamo().scan(r -> r.tableName(table)
                .filterExpression("attribute_exists(#t)").expressionAttributeNames(Map.of("#t", "trigger"))).items();
        assertThat(recorded).as("the commit recorded its trigger").isNotEmpty();
        recorded.forEach(item -> services.dynamo().updateItem(r -> r.tableName(table)
                .key(Map.of("pk", item.get("pk"), "sk", item.get("sk"))).updateExpression("REMOVE #t")
                .expressionAttributeNames(Map.of("#t", "trigger"))));
    }

    private static JsonNode tree(String json) {
        try {
            return JsonMapper.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private long generation() {
        return services.store().findConversation(Seeder.TENANT, conversationId).orElseThrow().compactionGen();
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
