package dev.compactor.local.acceptance;

import static dev.compactor.local.providers.ScriptedServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.conversation.Ids;
import dev.compactor.conversation.Snapshot;
import dev.compactor.local.command.Seeder;
import dev.compactor.local.emulator.ApiGatewayEmulator;
import dev.compactor.local.providers.ScriptedServer;
import dev.compactor.local.runtime.FunctionHost;
import dev.compactor.local.testing.TestDynamo;
import dev.compactor.support.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The compact route end to end with a model provider: HTTP to the API Gateway emulator, the
 * handler configured as in the cloud (a Bedrock default, no extractive fallback unless asked),
 * DynamoDB Local, and a local Bedrock endpoint. A provider failure answers Letta's error shape and
 * leaves the conversation exactly as it was.
 */
class CompactWithProvidersTest {
    static final String MODEL = "bedrock/us.anthropic.claude-haiku-4-5-20251001-v1:0";
    static final String ANSWER = """
            {"output":{"message":{"role":"assistant","content":[{"text":"The user is migrating billing to Postgres 16 (ACME-5862)."}]}},
             "stopReason":"end_turn","usage":{"inputTokens":2400,"outputTokens":300,"totalTokens":2700},"metrics":{"latencyMs":900}}""";

    private final HttpClient http = HttpClient.newHttpClient();
    private TestDynamo local;
    private String table;
    private ScriptedServer bedrock;
    private ApiGatewayEmulator api;

    @BeforeEach
    void start() throws IOException {
        local = TestDynamo.get();
        table = local.newTable();
        bedrock = new ScriptedServer();
    }

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
        bedrock.close();
    }

    /** Serves the API with the cloud's summarizer settings pointed at the local Bedrock server. */
    private void serve(boolean extractiveFallback) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("DEFAULT_SUMMARIZER_MODEL", MODEL);
        env.put("EXTRACTIVE_FALLBACK", String.valueOf(extractiveFallback));
        env.put("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", bedrock.uri().toString());
        env.put("AWS_ACCESS_KEY_ID", "AKIDLOCALTEST");
        env.put("AWS_SECRET_ACCESS_KEY", "local-secret-key");
        api = new ApiGatewayEmulator(new FunctionHost(local.template, table, local.dynamo.endpoint(), env), "127.0.0.1", 0);
        api.start();
    }

    private String seeded() {
        String id = Ids.newConversationId();
        Seeder.seed(local.services(table).store(), Seeder.SAMPLE_AGENT_ID, id, "local/extractive", Seeder.CONTEXT_WINDOW);
        return id;
    }

    private HttpResponse<String> compact(String id, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/v1/conversations/" + id + "/compact"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private Snapshot snapshot(String id) {
        return local.services(table).store().snapshot("local", id);
    }

    @Test
    void summarisesWithTheBedrockDefaultAndReportsUsage() throws Exception {
        serve(false);
        bedrock.then(json(200, ANSWER));
        String id = seeded();

        HttpResponse<String> response = compact(id, "{\"compaction_settings\":{\"mode\":\"all\"}}");

        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, Object> body = Json.parseObject(response.body());
        assertThat(body).containsEntry("summary", "The user is migrating billing to Postgres 16 (ACME-5862).")
                .containsEntry("num_messages_after", 2L);
        @SuppressWarnings("unchecked")
        Map<String, Object> details = (Map<String, Object>) body.get("compaction");
        assertThat(details).containsEntry("model", MODEL).containsEntry("source", "llm").doesNotContainKey("failover");
        assertThat(details.get("usage")).isEqualTo(Json.parseObject("""
                {"provider":"bedrock","model":"%s","input_tokens":2400,"output_tokens":300,"cache_read_tokens":0,
                 "cache_write_tokens":0,"latency_ms":%d,"cost_usd":0.0039}""".formatted(MODEL,
                (Long) ((Map<?, ?>) details.get("usage")).get("latency_ms"))));
        Map<String, Object> sent = bedrock.only().json();
        assertThat(sent.toString()).contains("<start_transcript>").contains("ACME-5862");
        assertThat(snapshot(id).inContext()).hasSize(2);
    }

    @Test
    void aProviderThatKeepsFailingAnswersLettasErrorAndCommitsNothing() throws Exception {
        serve(false);
        bedrock.then(json(429, "{\"message\":\"Too many requests, please wait before trying again.\"}",
                Map.of("x-amzn-ErrorType", "ThrottlingException")));
        String id = seeded();
        Snapshot before = snapshot(id);

        HttpResponse<String> response = compact(id, "{\"compaction_settings\":{\"mode\":\"all\"}}");

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(Json.parseObject(response.body())).containsEntry("error", Map.of("type", "llm_rate_limit",
                "message", "Rate limit exceeded for LLM model provider. Please wait before making another request.",
                "detail", "bedrock answered 429: Too many requests, please wait before trying again."));
        assertThat(bedrock.requests()).hasSize(3);
        assertUnchanged(id, before);
    }

    @Test
    void anEmptySummaryIsAnErrorAndCommitsNothing() throws Exception {
        serve(false);
        bedrock.then(json(200, ANSWER.replace("The user is migrating billing to Postgres 16 (ACME-5862).", "")));
        String id = seeded();
        Snapshot before = snapshot(id);

        HttpResponse<String> response = compact(id, "{\"compaction_settings\":{\"mode\":\"all\"}}");

        assertThat(response.statusCode()).isEqualTo(502);
        @SuppressWarnings("unchecked")
        Map<String, Object> error = (Map<String, Object>) Json.parseObject(response.body()).get("error");
        assertThat(error).containsEntry("type", "llm_error");
        assertUnchanged(id, before);
    }

    @Test
    @SuppressWarnings("unchecked")
    void settingsForAnotherProviderApplyWhatTheModelTakesAndNameTheRest() throws Exception {
        serve(false);
        bedrock.then(json(200, ANSWER));
        String id = seeded();

        HttpResponse<String> response = compact(id, "{\"compaction_settings\":{\"mode\":\"all\",\"model_settings\":"
                + "{\"provider_type\":\"openai\",\"temperature\":0.1,\"reasoning\":{\"reasoning_effort\":\"high\"}}}}");

        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, Object> compaction = (Map<String, Object>) Json.parseObject(response.body()).get("compaction");
        assertThat(compaction).containsEntry("settings_not_applied", List.of("model_settings.reasoning"));
        assertThat((Map<String, Object>) bedrock.only().json().get("inferenceConfig")).containsEntry("temperature", 0.1);
        assertThat(snapshot(id).inContext()).hasSize(2);
    }

    @Test
    void withTheExtractiveFallbackOnAFailedModelStillCompacts() throws Exception {
        serve(true);
        bedrock.then(json(403, "{\"message\":\"You don't have access to the model with the specified model ID.\"}",
                Map.of("x-amzn-ErrorType", "AccessDeniedException")));
        String id = seeded();

        HttpResponse<String> response = compact(id, "{\"compaction_settings\":{\"mode\":\"all\"}}");

        assertThat(response.statusCode()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        Map<String, Object> details = (Map<String, Object>) Json.parseObject(response.body()).get("compaction");
        assertThat(details).containsEntry("source", "extractive").containsEntry("model", "local/extractive");
        assertThat(details.get("failover")).isEqualTo(Map.of("attempts", List.of(Map.of("model", MODEL, "error", "authentication",
                "message", "bedrock answered 403: You don't have access to the model with the specified model ID.")),
                "settings_not_carried", List.of()));
        assertThat(snapshot(id).inContext()).hasSize(2);
    }

    private void assertUnchanged(String id, Snapshot before) {
        Snapshot after = snapshot(id);
        assertThat(after.head().compactionGen()).isEqualTo(before.head().compactionGen());
        assertThat(after.inContext()).hasSize(43).isEqualTo(before.inContext());
        assertThat(after.summaryRecord()).isNull();
    }

    // Letta runs a conversation's own model with its model_settings, and a self-compaction is that model's request.
    @Test
    @SuppressWarnings("unchecked")
    void aSelfCompactionRunsTheConversationsModelWithItsJudgedSettings() throws Exception {
        serve(false);
        bedrock.then(json(200, ANSWER));
        String id = seeded();
        HttpResponse<String> patched = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/v1/conversations/" + id))
                .method("PATCH", HttpRequest.BodyPublishers.ofString("""
                        {"model":"%s","model_settings":{"provider_type":"bedrock","max_output_tokens":700,
                         "response_format":{"type":"json_object"}}}""".formatted(MODEL))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);

        HttpResponse<String> response = compact(id, "{\"compaction_settings\":{\"mode\":\"self_compact_all\"}}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Map<String, Object> details = (Map<String, Object>) Json.parseObject(response.body()).get("compaction");
        assertThat(details).containsEntry("settings_not_applied", List.of("model_settings.response_format"));
        assertThat((Map<String, Object>) bedrock.only().json().get("inferenceConfig")).containsEntry("maxTokens", 700L);
    }
}
