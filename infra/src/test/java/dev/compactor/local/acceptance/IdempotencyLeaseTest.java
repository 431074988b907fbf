package dev.compactor.local.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.compactor.api.ApiHandler;
import dev.compactor.api.ApiResponse;
import dev.compactor.app.AwsClients;
import dev.compactor.app.Services;
import dev.compactor.conversation.Ids;
import dev.compactor.llm.SummaryResult;
import dev.compactor.llm.TokenUsage;
import dev.compactor.local.command.Seeder;
import dev.compactor.local.testing.Latches;
import dev.compactor.local.testing.ShiftedClock;
import dev.compactor.local.testing.TestDynamo;
import dev.compactor.support.Env;
import dev.compactor.support.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
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
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The lease of a running Idempotency-Key request, through the real handler, store and DynamoDB
 * Local: a holder that died is noticed once its short lease runs out (the retry takes over or is
 * told when to come back), while a live holder's heartbeat keeps a waiter waiting for its answer.
 * The lease (2 s) and heartbeat (100 ms) are configured short; the clock is the system clock
 * plus an offset the test moves forward to make a lease run out without waiting for it.
 */
class IdempotencyLeaseTest {
    static final String KEY = "compact-lease-0001";
    static final Duration LEASE = Duration.ofSeconds(2);

    private final TestDynamo local = TestDynamo.get();
    private final String table = local.newTable();
    private final ShiftedClock clock = new ShiftedClock();
    private final AtomicInteger modelCalls = new AtomicInteger();
    private final AtomicReference<Runnable> duringModelCall = new AtomicReference<>(() -> { });
    private final Services services;
    private final ApiHandler handler;
    private final String conversationId = Ids.newConversationId();
    private final ExecutorService pool = Executors.newCachedThreadPool();

    IdempotencyLeaseTest() {
        Map<String, String> vars = new HashMap<>(local.env(table).vars());
        vars.put(Env.IDEMPOTENCY_LEASE_SECONDS, "2");
        vars.put(Env.IDEMPOTENCY_HEARTBEAT_SECONDS, "0.1");
        Env env = new Env(vars);
        services = new Services(env, AwsClients.dynamo(env), handle -> request -> {
            int call = modelCalls.incrementAndGet();
            duringModelCall.get().run();
            return new SummaryResult("summary number " + call, SummaryResult.LLM, handle, TokenUsage.NONE, 1);
        }, clock);
        handler = new ApiHandler(services);
        Seeder.seed(services.store(), Seeder.SAMPLE_AGENT_ID, conversationId, "local/extractive", Seeder.CONTEXT_WINDOW);
    }

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void aRetryAfterTheHolderDiedIsToldWhenToComeBackThenTakesOverOnceTheLeaseRanOut() {
        duringModelCall.set(() -> {
            duringModelCall.set(() -> { });
            throw new IdempotencyTest.ProcessDied();
        });
        assertThatThrownBy(() -> compact(Duration.ofSeconds(20))).isInstanceOf(IdempotencyTest.ProcessDied.class);
        assertThat(record().get("status").s()).isEqualTo("pending");

        ApiResponse whileLeased = compact(Duration.ofMillis(600));
        clock.advance(LEASE.plusSeconds(1));
        long started = System.nanoTime();
        ApiResponse retried = compact(Duration.ofSeconds(20));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(whileLeased.status()).isEqualTo(409);
        assertThat(Long.parseLong(whileLeased.headers().get("Retry-After"))).isBetween(1L, LEASE.toSeconds());
        assertThat(retried.status()).as(retried.body()).isEqualTo(200);
        assertThat(retried.headers()).doesNotContainKey("Idempotent-Replayed");
        assertThat(took).as("the retry did not wait out its deadline").isLessThan(Duration.ofSeconds(10));
        assertThat(modelCalls.get()).isEqualTo(2);
        assertThat(generation()).isEqualTo(1);
        assertThat(record().get("status").s()).isEqualTo("completed");
    }

    @Test
    void aLiveHoldersHeartbeatKeepsAWaiterWaitingUntilItGetsTheStoredResponse() throws Exception {
        CountDownLatch holderInModel = new CountDownLatch(1);
        CountDownLatch releaseHolder = new CountDownLatch(1);
        duringModelCall.set(() -> {
            holderInModel.countDown();
            Latches.await(releaseHolder);
        });
        Future<ApiResponse> holder = pool.submit(() -> compact(Duration.ofSeconds(60)));
        assertThat(holderInModel.await(60, TimeUnit.SECONDS)).isTrue();

        // The lease the holder claimed with has now run out; only its heartbeat can keep the claim.
        clock.advance(LEASE.plusSeconds(1));
        awaitCondition(() -> leaseUntil().isAfter(clock.instant()), "the heartbeat renewed the lease");
        AtomicReference<Thread> waiterThread = new AtomicReference<>();
        Future<ApiResponse> waiter = pool.submit(() -> {
            waiterThread.set(Thread.currentThread());
            return compact(Duration.ofSeconds(60));
        });
        // The waiter goes round its wait several times while the holder runs (it reads the clock
        // on every round), and the heartbeat keeps it from taking over.
        awaitCondition(() -> waiterThread.get() != null && clock.readsBy(waiterThread.get()) >= 12, "the waiter kept waiting");
        assertThat(waiter.isDone()).isFalse();
        assertThat(modelCalls.get()).isEqualTo(1);
        releaseHolder.countDown();

        ApiResponse first = holder.get(60, TimeUnit.SECONDS);
        ApiResponse second = waiter.get(60, TimeUnit.SECONDS);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.headers()).containsEntry("Idempotent-Replayed", "true");
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(modelCalls.get()).isEqualTo(1);
        assertThat(generation()).isEqualTo(1);
    }

    private ApiResponse compact(Duration budget) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("resource", "/v1/conversations/{conversation_id}/compact");
        event.put("path", "/v1/conversations/" + conversationId + "/compact");
        event.put("httpMethod", "POST");
        event.put("pathParameters", Map.of("conversation_id", conversationId));
        event.put("headers", Map.of("Idempotency-Key", KEY));
        event.put("body", Json.write(Map.of("compaction_settings", Map.of("mode", "all"))));
        return handler.handle(Json.write(event), null, clock.instant().plus(budget));
    }

    private long generation() {
        return services.store().findConversation(Seeder.TENANT, conversationId).orElseThrow().compactionGen();
    }

    private Instant leaseUntil() {
        return Instant.ofEpochMilli(Long.parseLong(record().get("lease_until").n()));
    }

    private Map<String, AttributeValue> record() {
        try (DynamoDbClient client = local.dynamo.client()) {
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(KEY.getBytes(StandardCharsets.UTF_8)));
            return client.getItem(r -> r.tableName(table).consistentRead(true).key(Map.of(
                    "pk", AttributeValue.fromS("T#" + Seeder.TENANT + "#K#" + hash), "sk", AttributeValue.fromS("IDEM")))).item();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits for something the code under test does (observed, not assumed after a pause), for at most a minute. */
    private static void awaitCondition(BooleanSupplier condition, String what) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(until);
            Thread.onSpinWait();
            Thread.sleep(10);
        }
    }
}
