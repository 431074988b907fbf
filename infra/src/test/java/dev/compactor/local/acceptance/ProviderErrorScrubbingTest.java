package dev.compactor.local.acceptance;

import static dev.compactor.local.providers.ScriptedServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.conversation.Ids;
import dev.compactor.local.command.Seeder;
import dev.compactor.local.emulator.ApiGatewayEmulator;
import dev.compactor.local.providers.ScriptedServer;
import dev.compactor.local.runtime.FunctionHost;
import dev.compactor.local.testing.TestDynamo;
import dev.compactor.support.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A provider that quotes the operator's key in its error (OpenAI's 401 does) must not hand it to
 * the tenant: not in the synchronous answer, not in a failed job's stored error, not in the logs.
 * The provider is a local server speaking OpenAI's error JSON; both output streams are captured.
 */
class ProviderErrorScrubbingTest {
    static final String OPERATOR_KEY = "sk-proj-Op3ratorKey0123456789abcdefXYZ";
    static final String UNAUTHORIZED = Json.write(Map.of("error", Map.of("message", "Incorrect API key provided: Bearer "
            + OPERATOR_KEY + ". You can find your API key at https://platform.openai.com/account/api-keys.",
            "type", "invalid_request_error", "code", "invalid_api_key")));

    @Test
    void anOperatorKeyQuotedByTheProviderReachesNeitherTheTenantNorAJobNorTheLogs() throws Exception {
        TestDynamo local = TestDynamo.get();
        String table = local.newTable();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = System.out;
        PrintStream err = System.err;
        String syncBody;
        String jobBody;
        try (ScriptedServer openai = new ScriptedServer().then(json(401, UNAUTHORIZED))) {
            Map<String, String> env = Map.of("DEFAULT_SUMMARIZER_MODEL", "openai/gpt-4.1-mini", "EXTRACTIVE_FALLBACK", "false",
                    "SUMMARIZER_FAILOVER", "none", "OPENAI_API_KEY", OPERATOR_KEY, "OPENAI_BASE_URL", openai.uri() + "/v1");
            FunctionHost host = new FunctionHost(local.template, table, local.dynamo.endpoint(), env);
            String conversation = Ids.newConversationId();
            Seeder.seed(local.services(table).store(), Seeder.SAMPLE_AGENT_ID, conversation, "openai/gpt-4.1-mini", Seeder.CONTEXT_WINDOW);
            PrintStream tee = new PrintStream(captured, true, StandardCharsets.UTF_8);
            System.setOut(tee);
            System.setErr(tee);
            try (ApiGatewayEmulator api = new ApiGatewayEmulator(host, "127.0.0.1", 0)) {
                api.start();
                HttpClient http = HttpClient.newHttpClient();
                HttpResponse<String> sync = post(http, api.port(), "/v1/conversations/" + conversation + "/compact");
                assertThat(sync.statusCode()).as(sync.body()).isEqualTo(401);
                syncBody = sync.body();
                HttpResponse<String> queued = post(http, api.port(), "/v1/conversations/" + conversation + "/compact?async=true");
                assertThat(queued.statusCode()).as(queued.body()).isEqualTo(202);
                host.lambda().awaitIdle(Duration.ofSeconds(60));
                String jobId = (String) Json.parseObject(queued.body()).get("id");
                HttpResponse<String> job = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port()
                        + "/v1/compactions/" + jobId)).GET().build(), HttpResponse.BodyHandlers.ofString());
                jobBody = job.body();
            } finally {
                System.setOut(out);
                System.setErr(err);
            }
            assertThat(openai.requests()).isNotEmpty().allSatisfy(r -> assertThat(r.header("authorization"))
                    .isEqualTo("Bearer " + OPERATOR_KEY));
        }

        assertThat(Json.parseObject(syncBody)).isEqualTo(Map.of("error", Map.of("type", "llm_authentication",
                "message", "Authentication failed with the LLM model provider.",
                "detail", "openai answered 401: Incorrect API key provided: Bearer [redacted]. You can find your API key at "
                        + "https://platform.openai.com/account/api-keys.")));
        assertThat(Json.parseObject(jobBody)).containsEntry("status", "failed");
        assertThat(jobBody).contains("Incorrect API key provided").contains("[redacted]");
        String logs = captured.toString(StandardCharsets.UTF_8);
        assertThat(logs).contains("\"outcome\":\"failed\"");
        for (String text : new String[] {syncBody, jobBody, logs}) {
            assertThat(text).doesNotContain(OPERATOR_KEY).doesNotContain("Op3ratorKey");
        }
    }

    private static HttpResponse<String> post(HttpClient http, int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.ofString("{\"compaction_settings\":{\"mode\":\"all\"}}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
