package dev.compactor.local.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.conversation.Ids;
import dev.compactor.local.command.Seeder;
import dev.compactor.local.emulator.ApiGatewayEmulator;
import dev.compactor.local.providers.ScriptedServer;
import dev.compactor.local.runtime.FunctionHost;
import dev.compactor.local.testing.TestDynamo;
import dev.compactor.support.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Letta's official TypeScript client with its default retries (two, on 408, 409, 429 and 5xx
 * unless told {@code x-should-retry: false}) never makes the service do a compaction twice, nor
 * repeat a rejected one: the API Gateway emulator and the functions run here against DynamoDB
 * Local, the model is a local server speaking OpenAI's JSON that counts its requests, and the
 * client (infra/sdk-acceptance/retries.mjs, installed by the build's npm ci) runs in Node.
 */
class SdkRetriesIT {
    static final String MODEL = "openai/gpt-4.1-mini";
    static final String ANSWER = """
            {"id":"chatcmpl-1","object":"chat.completion","model":"gpt-4.1-mini",
             "choices":[{"index":0,"message":{"role":"assistant","content":"The user and the assistant talked."},
             "finish_reason":"stop"}],"usage":{"prompt_tokens":900,"completion_tokens":20,"total_tokens":920}}""";

    private final TestDynamo local = TestDynamo.get();
    private final String table = local.newTable();

    @Test
    void twoConcurrentCompactionsWithDefaultRetriesCompactOnceAndTheOtherCallerGetsThe409() throws Exception {
        // The first two model calls are held until both have arrived, so the two compactions
        // provably overlap (both planned against the same generation); later calls answer at once.
        CountDownLatch bothAtTheModel = new CountDownLatch(2);
        AtomicInteger modelCalls = new AtomicInteger();
        ScriptedServer.Answer answer = ScriptedServer.json(200, ANSWER);
        try (ScriptedServer openai = new ScriptedServer().then((exchange, server) -> {
            if (modelCalls.incrementAndGet() <= 2) {
                bothAtTheModel.countDown();
                try {
                    assertThat(bothAtTheModel.await(60, TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            answer.write(exchange, server);
        }); ApiGatewayEmulator api = serve(openai, Map.of())) {
            String conversation = seeded();

            List<Map<String, Object>> results = sdk(api, "race", conversation);

            assertThat(results).extracting(r -> r.get("status")).containsExactlyInAnyOrder(200L, 409L);
            assertThat(modelCalls.get()).as("one model call per compaction attempt, none for a retry").isEqualTo(2);
            assertThat(local.services(table).store().findConversation(Seeder.TENANT, conversation).orElseThrow().compactionGen())
                    .as("compacted once").isEqualTo(1);
        }
    }

    @Test
    void aQualityGateRejectionIsRequestedOncePerSdkCall() throws Exception {
        try (ScriptedServer openai = new ScriptedServer().then(ScriptedServer.json(200, ANSWER));
             ApiGatewayEmulator api = serve(openai, Map.of("QUALITY_MIN_IDENTIFIER_RETENTION", "1.0"))) {
            HttpResponse<String> direct = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + api.port() + "/v1/conversations/" + seeded() + "/compact")).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(direct.statusCode()).as(direct.body()).isEqualTo(502);
            assertThat(direct.headers().firstValue("x-should-retry")).hasValue("false");
            int perRequest = openai.requests().size();
            assertThat(perRequest).isPositive();

            List<Map<String, Object>> results = sdk(api, "once", seeded());

            assertThat(results).singleElement().satisfies(r -> assertThat(r).containsEntry("status", 502L));
            assertThat(openai.requests()).as("the SDK call reached the service once").hasSize(2 * perRequest);
        }
    }

    private ApiGatewayEmulator serve(ScriptedServer openai, Map<String, String> extra) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("DEFAULT_SUMMARIZER_MODEL", MODEL, "EXTRACTIVE_FALLBACK", "false",
                "SUMMARIZER_FAILOVER", "none", "OPENAI_API_KEY", "sk-retries-test-0123456789", "OPENAI_BASE_URL", openai.uri() + "/v1"));
        env.putAll(extra);
        ApiGatewayEmulator api = new ApiGatewayEmulator(new FunctionHost(local.template, table, local.dynamo.endpoint(), env),
                "127.0.0.1", 0);
        api.start();
        return api;
    }

    private String seeded() {
        String id = Ids.newConversationId();
        Seeder.seed(local.services(table).store(), Seeder.SAMPLE_AGENT_ID, id, MODEL, Seeder.CONTEXT_WINDOW);
        return id;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> sdk(ApiGatewayEmulator api, String scenario, String conversation) throws Exception {
        assertThat(LettaSdkIT.SDK.resolve("node_modules/@letta-ai/letta-client")).as("installed by the build's npm ci").isDirectory();
        ProcessBuilder node = new ProcessBuilder("node", "retries.mjs", scenario).directory(LettaSdkIT.SDK.toFile())
                .redirectErrorStream(true);
        node.environment().put("LETTA_BASE_URL", "http://127.0.0.1:" + api.port());
        node.environment().put("LETTA_API_KEY", "sdk-retries-key");
        node.environment().put("CONVERSATION", conversation);
        Path output = Files.createTempFile("letta-sdk-retries", ".log");
        Process run = node.redirectOutput(output.toFile()).start();
        assertThat(run.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String log = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(run.exitValue()).as(log).isZero();
        String last = log.strip().lines().reduce((a, b) -> b).orElse("");
        return (List<Map<String, Object>>) (List<?>) Json.parse(last);
    }
}
