package dev.compactor.local.acceptance;

import static dev.compactor.local.providers.ScriptedServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.compactor.api.ApiHandler;
import dev.compactor.api.ApiResponse;
import dev.compactor.api.CompactionWorkerHandler;
import dev.compactor.app.AwsClients;
import dev.compactor.app.Services;
import dev.compactor.compaction.CompactionService;
import dev.compactor.conversation.CompactionJob;
import dev.compactor.conversation.Ids;
import dev.compactor.conversation.JobNotRunningException;
import dev.compactor.llm.LlmException;
import dev.compactor.llm.ModelHandle;
import dev.compactor.llm.Summarizer;
import dev.compactor.llm.SummaryResult;
import dev.compactor.llm.TokenUsage;
import dev.compactor.local.command.Seeder;
import dev.compactor.local.emulator.ApiGatewayEmulator;
import dev.compactor.local.providers.ScriptedServer;
import dev.compactor.local.runtime.FunctionHost;
import dev.compactor.local.testing.ApiEvents;
import dev.compactor.local.testing.HttpJson;
import dev.compactor.local.testing.Latches;
import dev.compactor.local.testing.ShiftedClock;
import dev.compactor.local.testing.TestDynamo;
import dev.compactor.support.Env;
import dev.compactor.support.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Asynchronous compactions: {@code Prefer: respond-async} queues a job (202), the worker runs it,
 * {@code GET /v1/compactions/{job_id}} follows it from {@code queued} through {@code running} to
 * {@code succeeded} or {@code failed}. The API and worker handlers run against DynamoDB Local;
 * Lambda's Invoke endpoint is a local server that records the worker's event (answering 202 as
 * Lambda does), and the test delivers that event to the worker itself, so it decides when the
 * worker runs, dies or runs twice. The last test goes through the local runtime end to end.
 */
class AsyncJobsTest {
    static final String TENANT = Seeder.TENANT;
    static final String COMPACT = "/v1/conversations/{conversation_id}/compact";

    private final TestDynamo local = TestDynamo.get();
    private final String table = local.newTable();
    private final ShiftedClock clock = new ShiftedClock();
    private final AtomicInteger modelCalls = new AtomicInteger();
    private final CountDownLatch modelEntered = new CountDownLatch(1);
    private final CountDownLatch modelReleased = new CountDownLatch(1);
    private final AtomicReference<RuntimeException> modelFailure = new AtomicReference<>();
    /** The first model call waits to be released; later ones answer at once. */
    private final Function<ModelHandle, Summarizer> summarizers = handle -> request -> {
        if (modelCalls.incrementAndGet() == 1) {
            modelEntered.countDown();
            Latches.await(modelReleased);
        }
        if (modelFailure.get() != null) {
            throw modelFailure.get();
        }
        return new SummaryResult("the user moved billing to Postgres 16", SummaryResult.LLM, handle, new TokenUsage(2400, 300, 0, 0), 900);
    };
    private final ExecutorService pool = Executors.newSingleThreadExecutor();
    private ScriptedServer lambda;

    @AfterEach
    void stop() {
        pool.shutdownNow();
        if (lambda != null) {
            lambda.close();
        }
    }

    /** The API's and the worker's services, with Lambda's Invoke at a local server answering {@code status}. */
    private Services services(int invokeStatus) throws IOException {
        return services(json(invokeStatus, invokeStatus == 202 ? "" : "{\"Type\":\"Service\",\"message\":\"down\"}"));
    }

    /** The services, with Lambda's Invoke answering from {@code invokeAnswers} in turn (the last one repeats). */
    private Services services(ScriptedServer.Answer... invokeAnswers) throws IOException {
        lambda = new ScriptedServer();
        for (ScriptedServer.Answer answer : invokeAnswers) {
            lambda.then(answer);
        }
        Map<String, String> vars = new HashMap<>(local.env(table).vars());
        vars.put("AWS_ENDPOINT_URL_LAMBDA", lambda.uri().toString());
        Env env = new Env(vars);
        return new Services(env, AwsClients.dynamo(env), summarizers, clock);
    }

    private String seeded(Services services) {
        String id = Ids.newConversationId();
        Seeder.seed(services.store(), Seeder.SAMPLE_AGENT_ID, id, "local/extractive", Seeder.CONTEXT_WINDOW);
        return id;
    }

    private ApiResponse submit(ApiHandler api, String conversationId) {
        return api.handle(ApiEvents.of(TENANT, "POST", COMPACT).param("conversation_id", conversationId)
                .header("Prefer", "respond-async").body(Map.of("compaction_settings", Map.of("mode", "all"))), null,
                clock.instant().plusSeconds(20));
    }

    private Map<String, Object> job(ApiHandler api, String jobId) {
        ApiResponse response = api.handle(ApiEvents.of(TENANT, "GET", "/v1/compactions/{job_id}").param("job_id", jobId).body(null),
                null, clock.instant().plusSeconds(20));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return Json.parseObject(response.body());
    }

    private long generation(Services services, String conversationId) {
        return services.store().findConversation(TENANT, conversationId).orElseThrow().compactionGen();
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> usage(Services services) {
        Map<String, Object> month = Json.parseObject(new ApiHandler(services).handle(ApiEvents.of(TENANT, "GET", "/v1/usage").body(null),
                null, clock.instant().plusSeconds(20)).body());
        return (List<Map<String, Object>>) month.get("calls");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aJobGoesFromQueuedToRunningToSucceededWithTheAnswerARequestWouldHaveGot() throws Exception {
        Services services = services(202);
        ApiHandler api = new ApiHandler(services);
        CompactionWorkerHandler worker = new CompactionWorkerHandler(services);
        String conversation = seeded(services);

        ApiResponse accepted = submit(api, conversation);

        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        String jobId = (String) Json.parseObject(accepted.body()).get("id");
        assertThat(accepted.headers()).containsEntry("Location", "/v1/compactions/" + jobId)
                .containsEntry("Preference-Applied", "respond-async");
        ScriptedServer.Recorded invoke = lambda.only();
        assertThat(invoke.path()).isEqualTo("/2015-03-31/functions/CompactionWorkerFunction/invocations");
        assertThat(invoke.header("x-amz-invocation-type")).isEqualTo("Event");
        assertThat(invoke.header("authorization")).startsWith("AWS4-HMAC-SHA256 ").contains("/lambda/aws4_request");
        assertThat(invoke.json()).isEqualTo(Map.of("tenant", TENANT, "job_id", jobId));
        assertThat(job(api, jobId)).containsEntry("status", "queued").containsEntry("attempts", 0L)
                .containsEntry("conversation_id", conversation).containsEntry("result", null);

        Future<CompactionWorkerHandler.Report> run = pool.submit(() -> worker.handle(invoke.text(), clock.instant().plusSeconds(60)));
        Latches.await(modelEntered);
        Map<String, Object> running = job(api, jobId);
        assertThat(running).containsEntry("status", "running").containsEntry("attempts", 1L);
        assertThat(running.get("started_at")).isNotNull();
        assertThat(generation(services, conversation)).isZero();
        modelReleased.countDown();

        assertThat(run.get(60, TimeUnit.SECONDS).status()).isEqualTo("succeeded");
        Map<String, Object> done = job(api, jobId);
        assertThat(done).containsEntry("status", "succeeded").containsEntry("error", null);
        Map<String, Object> result = (Map<String, Object>) done.get("result");
        assertThat(result).containsEntry("summary", "the user moved billing to Postgres 16").containsEntry("num_messages_before", 43L)
                .containsEntry("num_messages_after", 2L);
        assertThat((Map<String, Object>) result.get("compaction")).containsEntry("generation", 1L).containsEntry("mode_used", "all");
        assertThat(generation(services, conversation)).isEqualTo(1);

        // Lambda may deliver the event again: the finished job is not run twice, nor metered twice.
        assertThat(worker.handle(invoke.text(), clock.instant().plusSeconds(60))).extracting(CompactionWorkerHandler.Report::status).isEqualTo("not_claimed");
        assertThat(modelCalls.get()).isEqualTo(1);
        assertThat(usage(services)).singleElement().satisfies(call -> assertThat(call).containsEntry("call_id", jobId)
                .containsEntry("job_id", jobId).containsEntry("outcome", "succeeded").containsEntry("input_tokens", 2400L));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aFailedJobKeepsTheErrorItsRequestWouldHaveGotAndChangesNothing() throws Exception {
        Services services = services(202);
        ApiHandler api = new ApiHandler(services);
        String conversation = seeded(services);
        modelFailure.set(new LlmException(LlmException.Kind.RATE_LIMIT, "bedrock", "bedrock answered 429: slow down"));
        modelReleased.countDown();
        String jobId = (String) Json.parseObject(submit(api, conversation).body()).get("id");

        CompactionWorkerHandler.Report report = new CompactionWorkerHandler(services).handle(lambda.only().text(), clock.instant().plusSeconds(60));

        assertThat(report.status()).isEqualTo("failed");
        Map<String, Object> failed = job(api, jobId);
        assertThat(failed).containsEntry("status", "failed").containsEntry("result", null);
        assertThat((Map<String, Object>) failed.get("error")).containsEntry("status", 429L)
                .containsEntry("body", Map.of("error", Map.of("type", "llm_rate_limit", "message",
                        "Rate limit exceeded for LLM model provider. Please wait before making another request.",
                        "detail", "bedrock answered 429: slow down")));
        assertThat(generation(services, conversation)).isZero();
        assertThat(usage(services)).singleElement().satisfies(call -> assertThat(call).containsEntry("call_id", jobId)
                .containsEntry("outcome", "failed").containsEntry("status", 429L).containsEntry("error", "llm_rate_limit"));
    }

    @Test
    void aWorkerThatOutlivedItsLeaseCannotCommitAndTheRetryFinishesTheJob() throws Exception {
        Services services = services(202);
        String conversation = seeded(services);
        String jobId = (String) Json.parseObject(submit(new ApiHandler(services), conversation).body()).get("id");
        // The first worker claims the job, plans, and hangs in the model call until its lease is long gone.
        CompactionJob stuck = services.jobs().claim(TENANT, jobId, clock.instant().plusSeconds(1)).orElseThrow();
        Future<CompactionService.Result> late = pool.submit(() -> services.compaction().compact(TENANT,
                CompactionService.Target.conversation(conversation), null, "manual", clock.instant().plus(Duration.ofHours(1)),
                new CompactionService.Call(jobId, stuck.createdAt(), null, stuck, r -> "{}")));
        Latches.await(modelEntered);
        clock.advance(Duration.ofMinutes(1));

        CompactionWorkerHandler.Report retry = new CompactionWorkerHandler(services).handle(lambda.only().text(), clock.instant().plusSeconds(60));
        modelReleased.countDown();

        assertThat(retry.status()).isEqualTo("succeeded");
        assertThat(services.jobs().find(TENANT, jobId).orElseThrow().attempt()).isEqualTo(2);
        assertThatThrownBy(() -> late.get(60, TimeUnit.SECONDS)).hasCauseInstanceOf(JobNotRunningException.class);
        assertThat(generation(services, conversation)).isEqualTo(1);
        assertThat(usage(services)).hasSize(1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aJobNoWorkerCanFinishAnyMoreReadsAsFailedAndIsMeteredOnce() throws Exception {
        Services services = services(202);
        ApiHandler api = new ApiHandler(services);
        String conversation = seeded(services);
        String jobId = (String) Json.parseObject(submit(api, conversation).body()).get("id");

        assertThat(job(api, jobId)).containsEntry("status", "queued");
        clock.advance(CompactionJob.MAX_EVENT_AGE.plusMinutes(1));
        Map<String, Object> lost = job(api, jobId);

        assertThat(lost).containsEntry("status", "failed");
        assertThat((Map<String, Object>) lost.get("error")).containsEntry("status", 500L);
        assertThat(job(api, jobId)).isEqualTo(lost);
        assertThat(new CompactionWorkerHandler(services).handle(lambda.only().text(), clock.instant().plusSeconds(60)))
                .extracting(CompactionWorkerHandler.Report::status).isEqualTo("not_claimed");
        assertThat(modelCalls.get()).isZero();
        assertThat(generation(services, conversation)).isZero();
        assertThat(usage(services)).singleElement().satisfies(call -> assertThat(call).containsEntry("error", "worker_lost")
                .containsEntry("status", 500L));
    }

    @Test
    void aJobWhoseWorkerCannotBeStartedIsA503AndChangesNothing() throws Exception {
        Services services = services(500);
        ApiHandler api = new ApiHandler(services);
        String conversation = seeded(services);

        ApiResponse refused = submit(api, conversation);

        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.body()).contains("could not be started");
        assertThat(generation(services, conversation)).isZero();
        assertThat(usage(services)).singleElement().satisfies(call -> assertThat(call).containsEntry("error", "worker_not_started"));
    }

    @Test
    void aSubmissionWhoseWorkerWasThrottledIsSubmittedAgainByItsRetryNotReplayedAsQueued() throws Exception {
        // Throttled on every one of the invoker's three attempts, then accepted.
        var throttled = json(429, "{\"Type\":\"User\",\"message\":\"Rate exceeded\"}",
                Map.of("x-amzn-ErrorType", "TooManyRequestsException"));
        Services services = services(throttled, throttled, throttled, json(202, ""));
        ApiHandler api = new ApiHandler(services);
        String conversation = seeded(services);

        ApiResponse refused = submitWithKey(api, conversation, "submission-after-throttle");
        ApiResponse retried = submitWithKey(api, conversation, "submission-after-throttle");

        assertThat(refused.status()).as(refused.body()).isEqualTo(503);
        assertThat(retried.status()).as(retried.body()).isEqualTo(202);
        assertThat(retried.headers()).doesNotContainKey("Idempotent-Replayed");
        assertThat(lambda.requests()).hasSize(4);
        String jobId = (String) Json.parseObject(retried.body()).get("id");
        assertThat(lambda.requests().get(3).json()).containsEntry("job_id", jobId);
        List<Map<String, Object>> calls = usage(services);
        assertThat(calls).singleElement().satisfies(call -> assertThat(call).containsEntry("error", "worker_not_started"));
        String failedJob = (String) calls.get(0).get("job_id");
        assertThat(failedJob).isNotEqualTo(jobId);
        assertThat(job(api, failedJob)).containsEntry("status", "failed");
        assertThat(job(api, jobId)).containsEntry("status", "queued");
    }

    private ApiResponse submitWithKey(ApiHandler api, String conversationId, String key) {
        return api.handle(ApiEvents.of(TENANT, "POST", COMPACT).param("conversation_id", conversationId)
                .header("Prefer", "respond-async").header("Idempotency-Key", key)
                .body(Map.of("compaction_settings", Map.of("mode", "all"))), null, clock.instant().plusSeconds(20));
    }

    @Test
    void aJobForAConversationThatDoesNotExistIsA404AtOnce() throws Exception {
        ApiHandler api = new ApiHandler(services(202));

        assertThat(submit(api, Ids.newConversationId()).status()).isEqualTo(404);
        assertThat(lambda.requests()).isEmpty();
        ApiResponse unknown = api.handle(ApiEvents.of(TENANT, "GET", "/v1/compactions/{job_id}").param("job_id", Ids.newJobId())
                .body(null), null, clock.instant().plusSeconds(20));
        assertThat(unknown.status()).isEqualTo(404);
        ApiResponse malformed = api.handle(ApiEvents.of(TENANT, "GET", "/v1/compactions/{job_id}").param("job_id", "job-1")
                .body(null), null, clock.instant().plusSeconds(20));
        assertThat(malformed.status()).isEqualTo(422);
    }

    @Test
    @SuppressWarnings("unchecked")
    void throughTheLocalRuntimeTheWorkerFunctionRunsTheJob() throws Exception {
        FunctionHost host = local.host(table);
        try (ApiGatewayEmulator api = new ApiGatewayEmulator(host, "127.0.0.1", 0)) {
            api.start();
            HttpJson http = new HttpJson(api.port());
            String conversation = seeded(local.services(table));

            HttpJson.Response accepted = http.post("/v1/conversations/" + conversation + "/compact?async=true",
                    Map.of("compaction_settings", Map.of("mode", "all")), "Idempotency-Key", "job-submission-1");
            HttpJson.Response replayed = http.post("/v1/conversations/" + conversation + "/compact?async=true",
                    Map.of("compaction_settings", Map.of("mode", "all")), "Idempotency-Key", "job-submission-1");
            host.lambda().awaitIdle(Duration.ofSeconds(60));

            assertThat(accepted.status()).isEqualTo(202);
            assertThat(replayed.status()).isEqualTo(202);
            assertThat(replayed.raw().headers().firstValue("Idempotent-Replayed")).hasValue("true");
            String jobId = (String) accepted.object().get("id");
            assertThat(replayed.object()).containsEntry("id", jobId);
            HttpJson.Response done = http.get("/v1/compactions/" + jobId);
            assertThat(done.object()).containsEntry("status", "succeeded").containsEntry("attempts", 1L);
            Map<String, Object> result = (Map<String, Object>) done.object().get("result");
            assertThat(result).containsEntry("num_messages_after", 2L);
            assertThat((Map<String, Object>) result.get("compaction")).containsEntry("source", "extractive");
            assertThat(http.get("/v1/conversations/" + conversation).object()).containsEntry("compaction_generation", 1L);
        }
    }
}
