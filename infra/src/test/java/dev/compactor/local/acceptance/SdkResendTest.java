package dev.compactor.local.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.api.ApiHandler;
import dev.compactor.api.ApiResponse;
import dev.compactor.app.Services;
import dev.compactor.conversation.Ids;
import dev.compactor.llm.LlmException;
import dev.compactor.llm.SummaryResult;
import dev.compactor.llm.TokenUsage;
import dev.compactor.local.command.Seeder;
import dev.compactor.local.testing.TestDynamo;
import dev.compactor.support.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Letta's SDKs resend a compact call whose answer they did not get (a dropped connection, API
 * Gateway's own 504), with {@code X-Stainless-Retry-Count} raised, the same body and no key:
 * a resend of an attempt that committed replays its answer instead of compacting a second time;
 * a resend of an attempt that did not commit runs; a new call (count 0) always runs. Through the
 * real handler and DynamoDB Local, with a summarizer that counts its calls.
 */
class SdkResendTest {
    private final TestDynamo local = TestDynamo.get();
    private final String table = local.newTable();
    private final AtomicInteger modelCalls = new AtomicInteger();
    /** Every model call fails with this while it is set. */
    private final AtomicReference<RuntimeException> failing = new AtomicReference<>();
    private final Services services = local.services(table, handle -> request -> {
        int call = modelCalls.incrementAndGet();
        RuntimeException failure = failing.get();
        if (failure != null) {
            throw failure;
        }
        return new SummaryResult("summary number " + call, SummaryResult.LLM, handle, TokenUsage.NONE, 1);
    });
    private final ApiHandler handler = new ApiHandler(services);
    private final String conversationId = Ids.newConversationId();

    SdkResendTest() {
        Seeder.seed(services.store(), Seeder.SAMPLE_AGENT_ID, conversationId, "local/extractive", Seeder.CONTEXT_WINDOW);
    }

    @Test
    void aResendOfAnAttemptThatCommittedReplaysItsAnswerInsteadOfCompactingAgain() {
        ApiResponse lost = compact(0);
        ApiResponse resent = compact(1);

        assertThat(lost.status()).as(lost.body()).isEqualTo(200);
        assertThat(resent.status()).isEqualTo(200);
        assertThat(resent.headers()).containsEntry("Idempotent-Replayed", "true");
        assertThat(resent.body()).isEqualTo(lost.body());
        assertThat(modelCalls.get()).isEqualTo(1);
        assertThat(generation()).isEqualTo(1);
    }

    @Test
    void aResendOfAnAttemptThatFailedRunsAndANewCallAlwaysRuns() {
        failing.set(new LlmException(LlmException.Kind.OVERLOADED, "local", "overloaded"));
        ApiResponse failed = compact(0);
        failing.set(null);
        int callsOfTheFailedAttempt = modelCalls.get();

        ApiResponse resent = compact(1);
        int callsOfTheResend = modelCalls.get() - callsOfTheFailedAttempt;
        ApiResponse nextCall = compact(0);

        assertThat(failed.status()).isEqualTo(503);
        assertThat(resent.status()).as(resent.body()).isEqualTo(200);
        assertThat(resent.headers()).doesNotContainKey("Idempotent-Replayed");
        assertThat(callsOfTheResend).isEqualTo(1);
        assertThat(nextCall.headers()).doesNotContainKey("Idempotent-Replayed");
        assertThat(modelCalls.get()).as("the new call ran").isEqualTo(callsOfTheFailedAttempt + 2);
        assertThat(generation()).isEqualTo(nextCall.status() == 200 ? 2 : 1);
    }

    private ApiResponse compact(int retryCount) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("resource", "/v1/conversations/{conversation_id}/compact");
        event.put("path", "/v1/conversations/" + conversationId + "/compact");
        event.put("httpMethod", "POST");
        event.put("pathParameters", Map.of("conversation_id", conversationId));
        event.put("headers", Map.of("X-Stainless-Retry-Count", String.valueOf(retryCount)));
        event.put("body", Json.write(Map.of("compaction_settings", Map.of("mode", "sliding_window"))));
        return handler.handle(Json.write(event), null, Instant.now().plus(Duration.ofSeconds(20)));
    }

    private long generation() {
        return services.store().findConversation(Seeder.TENANT, conversationId).orElseThrow().compactionGen();
    }
}
