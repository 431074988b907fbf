package dev.compactor.local.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.compactor.api.ApiHandler;
import dev.compactor.api.ApiResponse;
import dev.compactor.app.AwsClients;
import dev.compactor.app.Services;
import dev.compactor.conversation.Ids;
import dev.compactor.llm.LlmException;
import dev.compactor.llm.ModelHandle;
import dev.compactor.llm.Summarizer;
import dev.compactor.llm.SummaryResult;
import dev.compactor.llm.TokenUsage;
import dev.compactor.local.command.Seeder;
import dev.compactor.local.testing.ApiEvents;
import dev.compactor.local.testing.TestDynamo;
import dev.compactor.support.Env;
import dev.compactor.support.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every compaction call gets exactly one usage record, and its month's counters move once: under
 * Idempotency-Key replays, under an SDK retry of the commit whose answer was lost, and for
 * failures. Real handler, real DynamoDB Local; the summarizer is a stand-in that reports fixed
 * token usage, so the counters can be checked to the token.
 */
class UsageMeteringTest {
    static final String MODEL = "anthropic/claude-haiku-4-5";
    static final TokenUsage USAGE = new TokenUsage(2400, 300, 0, 0);
    static final String TENANT = Seeder.TENANT;

    private final TestDynamo local = TestDynamo.get();
    private final String table = local.newTable();
    private final AtomicInteger modelCalls = new AtomicInteger();
    private final AtomicReference<RuntimeException> modelFailure = new AtomicReference<>();
    private final Function<ModelHandle, Summarizer> summarizers = handle -> request -> {
        modelCalls.incrementAndGet();
        if (modelFailure.get() != null) {
            throw modelFailure.get();
        }
        return new SummaryResult("the user moved billing to Postgres 16", SummaryResult.LLM, handle, USAGE, 900);
    };

    private String seeded(Services services) {
        String id = Ids.newConversationId();
        Seeder.seed(services.store(), Seeder.SAMPLE_AGENT_ID, id, "local/extractive", Seeder.CONTEXT_WINDOW);
        return id;
    }

    private static ApiResponse compact(ApiHandler handler, String tenant, String conversationId, String... headers) {
        ApiEvents event = ApiEvents.of(tenant, "POST", "/v1/conversations/{conversation_id}/compact")
                .param("conversation_id", conversationId);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            event.header(headers[i], headers[i + 1]);
        }
        return handler.handle(event.body(Map.of("compaction_settings", Map.of("mode", "all", "model", MODEL))), null,
                Instant.now().plusSeconds(20));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> usage(ApiHandler handler, String tenant, Map<String, String> query) {
        ApiEvents event = ApiEvents.of(tenant, "GET", "/v1/usage");
        query.forEach(event::query);
        ApiResponse response = handler.handle(event.body(null), null, Instant.now().plusSeconds(20));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return Json.parseObject(response.body());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> totals(Map<String, Object> usage) {
        return (Map<String, Object>) usage.get("totals");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> calls(Map<String, Object> usage) {
        return (List<Map<String, Object>>) usage.get("calls");
    }

    @Test
    void aCallRepeatedWithItsIdempotencyKeyIsMeteredOnceAndReportsItsUsageInHeaders() {
        Services services = local.services(table, summarizers);
        ApiHandler handler = new ApiHandler(services);
        String id = seeded(services);

        ApiResponse first = compact(handler, TENANT, id, "Idempotency-Key", "usage-0001");
        ApiResponse replay = compact(handler, TENANT, id, "Idempotency-Key", "usage-0001");
        ApiResponse again = compact(handler, TENANT, id, "Idempotency-Key", "usage-0001");

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.headers()).containsEntry("Usage-Model", MODEL).containsEntry("Usage-Input-Tokens", "2400")
                .containsEntry("Usage-Output-Tokens", "300").containsEntry("Usage-Cost-Usd", "0.0039")
                .containsEntry("Usage-Model-Latency-Ms", "900");
        assertThat(List.of(replay, again)).allSatisfy(r -> {
            assertThat(r.headers()).containsEntry("Idempotent-Replayed", "true").doesNotContainKey("Usage-Input-Tokens");
            assertThat(r.body()).isEqualTo(first.body());
        });
        Map<String, Object> usage = usage(handler, TENANT, Map.of());
        assertThat(totals(usage)).containsEntry("calls", 1L).containsEntry("succeeded", 1L).containsEntry("failed", 0L)
                .containsEntry("input_tokens", 2400L).containsEntry("output_tokens", 300L).containsEntry("cost_usd", 0.0039);
        assertThat(calls(usage)).singleElement().satisfies(call -> {
            assertThat(call).containsEntry("call_id", first.headers().get("x-request-id")).containsEntry("conversation_id", id)
                    .containsEntry("mode", "all").containsEntry("provider", "anthropic").containsEntry("model", MODEL)
                    .containsEntry("outcome", "succeeded").containsEntry("status", 200L).containsEntry("cost_usd", 0.0039);
            assertThat((Long) call.get("latency_ms")).isGreaterThanOrEqualTo(0L);
        });
        assertThat(modelCalls.get()).isEqualTo(1);
    }

    @Test
    void aCommitWhoseAnswerIsLostIsResentByTheSdkAndCountedOnce() throws IOException {
        try (LosingProxy proxy = new LosingProxy(local.dynamo.endpoint())) {
            Map<String, String> vars = new HashMap<>(local.env(table).vars());
            vars.put("AWS_ENDPOINT_URL_DYNAMODB", proxy.uri());
            Env env = new Env(vars);
            Services services = new Services(env, AwsClients.dynamo(env), summarizers, Clock.systemUTC());
            ApiHandler handler = new ApiHandler(services);
            String id = seeded(services);

            proxy.loseNextTransaction();
            ApiResponse response = compact(handler, TENANT, id);

            assertThat(response.status()).as(response.body()).isEqualTo(200);
            assertThat(proxy.transactions).hasSize(2);
            // The SDK gives every TransactWriteItems a client token and resends it unchanged, so DynamoDB
            // answers the resend with the first outcome instead of applying (or refusing) it again.
            assertThat(Set.copyOf(proxy.transactions)).as("the resent transaction carries the same client token").hasSize(1)
                    .doesNotContainNull().doesNotContain("null");
            assertThat(services.store().findConversation(TENANT, id).orElseThrow().compactionGen()).isEqualTo(1);
            assertThat(totals(usage(handler, TENANT, Map.of()))).containsEntry("calls", 1L).containsEntry("input_tokens", 2400L);
        }
    }

    @Test
    void failedCallsAreMeteredWithTheirStatusAndInvalidOnesDryRunsAndReplaysAreNot() {
        Services services = local.services(table, summarizers);
        ApiHandler handler = new ApiHandler(services);
        String id = seeded(services);
        modelFailure.set(new LlmException(LlmException.Kind.RATE_LIMIT, "anthropic", "slow down"));

        ApiResponse limited = compact(handler, TENANT, id);
        ApiResponse missing = compact(handler, TENANT, Ids.newConversationId());
        ApiResponse invalid = handler.handle(ApiEvents.of(TENANT, "POST", "/v1/conversations/{conversation_id}/compact")
                .param("conversation_id", id).body(Map.of("compaction_settings", Map.of("mode", "everything"))), null,
                Instant.now().plusSeconds(20));
        ApiResponse dryRun = handler.handle(ApiEvents.of(TENANT, "POST", "/v1/conversations/{conversation_id}/compact")
                .param("conversation_id", id).query("dry_run", "true").body(null), null, Instant.now().plusSeconds(20));

        assertThat(List.of(limited.status(), missing.status(), invalid.status(), dryRun.status())).containsExactly(429, 404, 422, 200);
        Map<String, Object> usage = usage(handler, TENANT, Map.of());
        assertThat(totals(usage)).containsEntry("calls", 2L).containsEntry("succeeded", 0L).containsEntry("failed", 2L)
                .containsEntry("input_tokens", 0L).containsEntry("unpriced_calls", 0L);
        assertThat(calls(usage)).extracting(c -> c.get("status") + " " + c.get("error"))
                .containsExactlyInAnyOrder("429 llm_rate_limit", "404 not_found");
        assertThat(calls(usage)).allSatisfy(c -> assertThat(c).containsEntry("outcome", "failed").containsEntry("model", null));
    }

    @Test
    void eachTenantSeesItsOwnMonthPageByPage() {
        Services services = local.services(table, summarizers);
        ApiHandler handler = new ApiHandler(services);
        List<String> conversations = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            conversations.add(seeded(services));
            assertThat(compact(handler, TENANT, conversations.get(i)).status()).isEqualTo(200);
        }

        Map<String, Object> first = usage(handler, TENANT, Map.of("limit", "2"));
        Map<String, Object> second = usage(handler, TENANT, Map.of("limit", "2", "cursor", (String) first.get("next_cursor")));

        assertThat(first).containsEntry("tenant", TENANT);
        assertThat(totals(first)).containsEntry("calls", 3L).containsEntry("input_tokens", 7200L);
        List<Object> listed = new ArrayList<>();
        calls(first).forEach(c -> listed.add(c.get("conversation_id")));
        calls(second).forEach(c -> listed.add(c.get("conversation_id")));
        List<String> newestFirst = new ArrayList<>(conversations);
        Collections.reverse(newestFirst);
        assertThat(listed).isEqualTo(List.copyOf(newestFirst));
        assertThat(second.get("next_cursor")).isNull();
        assertThat(totals(usage(handler, "globex", Map.of()))).containsEntry("calls", 0L);
        assertThat(calls(usage(handler, TENANT, Map.of("month", "2020-01")))).isEmpty();
        ApiResponse badMonth = handler.handle(ApiEvents.of(TENANT, "GET", "/v1/usage").query("month", "2026-13").body(null), null,
                Instant.now().plusSeconds(20));
        assertThat(badMonth.status()).isEqualTo(422);
        assertThat(badMonth.body()).contains("('query', 'month')");
    }

    /**
     * DynamoDB behind a proxy that can lose an answer: it forwards the next TransactWriteItems,
     * lets DynamoDB apply it, and answers the client with a 500 instead, as a dropped connection
     * would look, so the SDK resends the request.
     */
    static final class LosingProxy implements AutoCloseable {
        final List<String> transactions = Collections.synchronizedList(new ArrayList<>());
        private final HttpServer server;
        private final HttpClient http = HttpClient.newHttpClient();
        private final String target;
        private volatile boolean loseNext;

        LosingProxy(String target) throws IOException {
            this.target = target;
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", this::forward);
            server.start();
        }

        String uri() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        /** Loses the answer to the next transaction, and records the client tokens of transactions from there on. */
        void loseNextTransaction() {
            transactions.clear();
            loseNext = true;
        }

        private void forward(HttpExchange exchange) throws IOException {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                String operation = exchange.getRequestHeaders().getFirst("X-Amz-Target");
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + "/"))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
                exchange.getRequestHeaders().forEach((name, values) -> {
                    if (!Set.of("host", "content-length", "connection", "expect").contains(name.toLowerCase())) {
                        values.forEach(v -> request.header(name, v));
                    }
                });
                HttpResponse<byte[]> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                byte[] reply = answer.body();
                int status = answer.statusCode();
                if ("DynamoDB_20120810.TransactWriteItems".equals(operation)) {
                    transactions.add(String.valueOf(Json.parseObject(new String(body, StandardCharsets.UTF_8)).get("ClientRequestToken")));
                    if (loseNext) {
                        loseNext = false;
                        status = 500;
                        reply = "{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\",\"message\":\"lost\"}"
                                .getBytes(StandardCharsets.UTF_8);
                    }
                }
                exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
                exchange.sendResponseHeaders(status, reply.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(reply);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            server.stop(0);
            http.close();
        }
    }
}
