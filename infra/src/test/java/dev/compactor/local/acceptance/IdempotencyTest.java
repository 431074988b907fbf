package dev.compactor.local.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.compactor.api.ApiHandler;
import dev.compactor.api.ApiResponse;
import dev.compactor.app.Services;
import dev.compactor.conversation.Ids;
import dev.compactor.llm.LlmException;
import dev.compactor.llm.SummaryResult;
import dev.compactor.llm.TokenUsage;
import dev.compactor.local.command.Seeder;
import dev.compactor.local.testing.ShiftedClock;
import dev.compactor.local.testing.Backend;
import dev.compactor.support.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * {@code Idempotency-Key} on the compact route, through the real handler and DynamoDB Local. The
 * summarizer counts its calls (and can be slow, fail, or take its process down); the clock is the
 * system clock plus an offset the test moves forward to reach expiry without waiting for it.
 */
class IdempotencyTest {
    static final String KEY = "compact-7f3c-0001";
    private final Backend local = backend();
    private final String table = local.newTable();
    private final AtomicInteger modelCalls = new AtomicInteger();
    private final AtomicReference<Runnable> duringModelCall = new AtomicReference<>(() -> { });
    private final ShiftedClock clock = new ShiftedClock();
    /** Threads whose claim of a key found it pending (a request waiting for another with the same key). */
    private final Set<String> waitedForClaim = ConcurrentHashMap.newKeySet();
    private final CountDownLatch threeWaiting = new CountDownLatch(3);
    private final ExecutionInterceptor claimWatcher = new ExecutionInterceptor() {
        @Override
        public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof PutItemRequest put && put.hasItem() && put.item().containsKey("sk")
                    && "IDEM".equals(put.item().get("sk").s()) && context.exception() instanceof ConditionalCheckFailedException
                    && waitedForClaim.add(Thread.currentThread().getName())) {
                threeWaiting.countDown();
            }
        }
    };
    private final Services services = new Services(local.env(table), local.dynamoClient(claimWatcher), handle -> request -> {
        modelCalls.incrementAndGet();
        duringModelCall.get().run();
        return new SummaryResult("summary number " + modelCalls.get(), SummaryResult.LLM, handle, TokenUsage.NONE, 1);
    }, clock);
    private final ApiHandler handler = new ApiHandler(services);
    private final String conversationId = Ids.newConversationId();
    private final ExecutorService pool = Executors.newFixedThreadPool(4);

    IdempotencyTest() {
        Seeder.seed(services.store(), Seeder.SAMPLE_AGENT_ID, conversationId, "local/extractive", Seeder.CONTEXT_WINDOW);
    }

    /** Where the test runs: DynamoDB Local here; its LocalStack variant overrides this. */
    Backend backend() {
        return Backend.emulators();
    }

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    private ApiResponse compact(String key, String mode, Duration budget) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("resource", "/v1/conversations/{conversation_id}/compact");
        event.put("path", "/v1/conversations/" + conversationId + "/compact");
        event.put("httpMethod", "POST");
        event.put("pathParameters", Map.of("conversation_id", conversationId));
        event.put("headers", key == null ? Map.of() : Map.of("Idempotency-Key", key));
        event.put("body", Json.write(Map.of("compaction_settings", Map.of("mode", mode))));
        return handler.handle(Json.write(event), null, clock.instant().plus(budget));
    }

    private ApiResponse compact(String key, String mode) {
        return compact(key, mode, Duration.ofSeconds(20));
    }

    private long generation() {
        return services.store().findConversation(Seeder.TENANT, conversationId).orElseThrow().compactionGen();
    }

    @Test
    void aReplayReturnsTheStoredResponseWithoutASecondModelCall() {
        ApiResponse first = compact(KEY, "sliding_window");
        ApiResponse replay = compact(KEY, "sliding_window");

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.headers()).doesNotContainKey("Idempotent-Replayed");
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.body()).isEqualTo(first.body());
        assertThat(replay.headers()).containsEntry("Idempotent-Replayed", "true");
        assertThat(modelCalls.get()).isEqualTo(1);
        assertThat(generation()).isEqualTo(1);
        assertThat(compact("another-key", "sliding_window").status()).as("a new key is a new request").isEqualTo(200);
        assertThat(generation()).isEqualTo(2);
    }

    @Test
    void theSameKeyWithAnotherBodyIs422AndChangesNothing() {
        compact(KEY, "sliding_window");

        ApiResponse reused = compact(KEY, "all");

        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.body()).contains("already used with a different request");
        assertThat(modelCalls.get()).isEqualTo(1);
        assertThat(generation()).isEqualTo(1);
    }

    @Test
    void concurrentRequestsWithOneKeyCommitOnceAndAllGetTheSameAnswer() throws Exception {
        // The model call returns only once the three other requests have found the key pending.
        duringModelCall.set(() -> awaitOrFail(threeWaiting));
        List<Future<ApiResponse>> requests = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            requests.add(pool.submit(() -> compact(KEY, "sliding_window")));
        }
        List<ApiResponse> responses = new ArrayList<>();
        for (Future<ApiResponse> f : requests) {
            responses.add(f.get(60, TimeUnit.SECONDS));
        }

        assertThat(responses).extracting(ApiResponse::status).containsOnly(200);
        assertThat(responses).extracting(ApiResponse::body).containsOnly(responses.get(0).body());
        assertThat(responses).filteredOn(r -> !r.headers().containsKey("Idempotent-Replayed")).hasSize(1);
        assertThat(modelCalls.get()).isEqualTo(1);
        assertThat(generation()).isEqualTo(1);
        assertThat(waitedForClaim).as("requests that overlapped the running one").hasSize(3);
    }

    @Test
    void aFailedRequestLeavesNoRecordSoItsRetryRuns() {
        duringModelCall.set(() -> {
            duringModelCall.set(() -> { });
            throw new LlmException(LlmException.Kind.RATE_LIMIT, "local", "slow down");
        });

        ApiResponse failed = compact(KEY, "all");
        ApiResponse retried = compact(KEY, "all");

        assertThat(failed.status()).isEqualTo(429);
        assertThat(retried.status()).isEqualTo(200);
        assertThat(retried.headers()).doesNotContainKey("Idempotent-Replayed");
        assertThat(modelCalls.get()).isEqualTo(2);
        assertThat(generation()).isEqualTo(1);
    }

    @Test
    void recordsExpireThroughTheTableTtlAttribute() throws Exception {
        Instant completed = clock.instant();
        compact(KEY, "sliding_window");
        Map<String, AttributeValue> record = record(KEY);

        assertThat(record.get("status").s()).isEqualTo("completed");
        assertThat(Long.parseLong(record.get("expires_at").n())).isBetween(completed.plus(Duration.ofHours(24)).getEpochSecond(),
                completed.plus(Duration.ofHours(24)).getEpochSecond() + 60);
        assertThat(record.toString()).doesNotContain(KEY);

        clock.advance(Duration.ofHours(24).plusMinutes(2));
        ApiResponse afterExpiry = compact(KEY, "all");

        assertThat(afterExpiry.status()).as("an expired key is free again, even for another body").isEqualTo(200);
        assertThat(modelCalls.get()).isEqualTo(2);
        assertThat(generation()).isEqualTo(2);
    }

    @Test
    void aClaimLeftByADeadRequestBlocksUntilItsLeaseRunsOut() {
        duringModelCall.set(() -> {
            duringModelCall.set(() -> { });
            throw new ProcessDied();
        });
        assertThatThrownBy(() -> compact(KEY, "sliding_window", Duration.ofSeconds(5))).isInstanceOf(ProcessDied.class);

        ApiResponse whileClaimed = compact(KEY, "sliding_window", Duration.ofMillis(600));
        clock.advance(Duration.ofSeconds(16));
        ApiResponse afterLease = compact(KEY, "sliding_window");

        assertThat(whileClaimed.status()).isEqualTo(409);
        assertThat(whileClaimed.body()).contains("still running");
        assertThat(afterLease.status()).isEqualTo(200);
        assertThat(modelCalls.get()).isEqualTo(2);
        assertThat(generation()).isEqualTo(1);
    }

    @Test
    void invalidKeysAre422() {
        assertThat(compact("has space", "all").body()).contains("'loc': ('header', 'idempotency-key')");
        assertThat(compact("k".repeat(256), "all").body()).contains("'type': 'string_too_long'");
        assertThat(generation()).isZero();
    }

    private Map<String, AttributeValue> record(String key) throws Exception {
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        try (DynamoDbClient client = local.dynamoClient()) {
            return client.getItem(r -> r.tableName(table).consistentRead(true).key(Map.of(
                    "pk", AttributeValue.fromS("T#" + Seeder.TENANT + "#K#" + hash), "sk", AttributeValue.fromS("IDEM")))).item();
        }
    }

    private static void awaitOrFail(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the other requests never found the key pending");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What a Lambda dying mid-request looks like from inside: nothing after it runs, not even cleanup for runtime exceptions. */
    static final class ProcessDied extends Error {
        ProcessDied() {
            super("the process died");
        }
    }
}
