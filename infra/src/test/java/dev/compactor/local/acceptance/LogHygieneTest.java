package dev.compactor.local.acceptance;

import static dev.compactor.local.providers.ScriptedServer.json;
import static dev.compactor.local.providers.ScriptedServer.sse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.conversation.dynamo.DynamoApiKeys;
import dev.compactor.local.emulator.ApiGatewayEmulator;
import dev.compactor.local.providers.ScriptedServer;
import dev.compactor.local.runtime.FunctionHost;
import dev.compactor.local.testing.TestDynamo;
import dev.compactor.support.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * What the functions write to stdout and stderr while serving a tenant end to end — API key,
 * provider keys read from SSM Parameter Store, an Anthropic summary, synchronous and
 * asynchronous compactions — is structured JSON with request ids, tenant, conversation, mode,
 * outcome and timings, and holds none of the conversation's text, the prompt, the summary, the
 * API key, the provider key or the AWS secret. The model and SSM are local servers speaking
 * their wire protocols; both streams are captured for the whole run.
 */
class LogHygieneTest {
    static final String API_KEY = "ck_hygiene_5a8f3e1d9c7b2a4f6e0d";
    static final String ANTHROPIC_KEY = "sk-ant-hygiene-0a1b2c3d4e5f";
    static final String AWS_SECRET = "aws-secret-hygiene-9f8e7d6c";
    static final String PARAMETER_ARN = "arn:aws:ssm:us-east-1:123456789012:parameter/compaction/provider-keys";
    static final String SYSTEM_PROMPT = "You are the treasurer of Project Nightingale.";
    static final String CUSTOM_PROMPT = "Summarize the Nightingale ledger in a haiku.";
    static final String SUMMARY = "Ledger reconciled for Nightingale; wire 7781 pending.";
    static final List<String> MESSAGES = List.of("Transfer 4200 to the Zurich escrow tonight.",
            "Done: wire 7781 sent, reference NIGHTINGALE-ESCROW.", "Also rotate the vault passphrase marmalade-otter.",
            "Rotated; the old passphrase is revoked.");

    private static String[] stream() {
        return new String[] {
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":812,\"output_tokens\":1}}}",
            "event: content_block_delta\ndata: " + Json.write(Map.of("type", "content_block_delta", "index", 0,
                    "delta", Map.of("type", "text_delta", "text", SUMMARY))),
            "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":24}}",
            "event: message_stop\ndata: {\"type\":\"message_stop\"}"};
    }

    @Test
    void aTenantsWholeSessionLogsStructuredLinesWithoutTextOrSecrets() throws Exception {
        TestDynamo local = TestDynamo.get();
        String table = local.newTable();
        try (DynamoDbClient dynamo = local.dynamo.client()) {
            new DynamoApiKeys(dynamo, table, Clock.systemUTC()).register(API_KEY, "acme");
        }
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = System.out;
        PrintStream err = System.err;
        try (ScriptedServer anthropic = new ScriptedServer(); ScriptedServer ssm = new ScriptedServer()) {
            anthropic.then(sse(stream()));
            ssm.then(json(200, Json.write(Map.of("Parameter", Map.of("Name", "/compaction/provider-keys", "Type", "SecureString",
                    "Value", Json.write(Map.of("ANTHROPIC_API_KEY", ANTHROPIC_KEY, "ANTHROPIC_BASE_URL", anthropic.uri().toString())),
                    "Version", 1, "ARN", PARAMETER_ARN)))));
            Map<String, String> env = Map.of("DEFAULT_SUMMARIZER_MODEL", "anthropic/claude-haiku-4-5", "EXTRACTIVE_FALLBACK", "false",
                    "SUMMARIZER_FAILOVER", "none", "PROVIDER_KEYS_PARAMETER_ARN", PARAMETER_ARN,
                    "AWS_ENDPOINT_URL_SSM", ssm.uri().toString(), "AWS_ACCESS_KEY_ID", "AKIDHYGIENE", "AWS_SECRET_ACCESS_KEY", AWS_SECRET);
            FunctionHost host = new FunctionHost(local.template, table, local.dynamo.endpoint(), env);
            PrintStream tee = new PrintStream(captured, true, StandardCharsets.UTF_8);
            System.setOut(tee);
            System.setErr(tee);
            try (ApiGatewayEmulator api = new ApiGatewayEmulator(host, "127.0.0.1", 0, true)) {
                api.start();
                session(api.port(), host);
            } finally {
                System.setOut(out);
                System.setErr(err);
            }
            assertThat(ssm.requests()).as("read once per container: the API function's and the worker's").hasSize(2);
            assertThat(anthropic.requests()).allSatisfy(r -> assertThat(r.header("x-api-key")).isEqualTo(ANTHROPIC_KEY)).hasSize(3);
            assertThat(anthropic.requests().get(0).text()).contains(MESSAGES.get(0)).contains(CUSTOM_PROMPT);
        }

        String logs = captured.toString(StandardCharsets.UTF_8);
        List<Map<String, Object>> lines = new ArrayList<>();
        for (String line : logs.split("\n")) {
            if (line.startsWith("{")) {
                lines.add(Json.parseObject(line));
            }
        }
        List<Map<String, Object>> requests = lines.stream().filter(l -> "api.request".equals(l.get("event"))).toList();
        assertThat(requests).hasSizeGreaterThanOrEqualTo(8).allSatisfy(l -> assertThat(l)
                .containsKeys("time", "request_id", "tenant", "route", "status", "duration_ms").containsEntry("tenant", "acme"));
        assertThat(requests).filteredOn(l -> "POST /v1/conversations/{conversation_id}/compact".equals(l.get("route"))
                && "succeeded".equals(l.get("outcome"))).hasSize(2).allSatisfy(l -> assertThat(l)
                .containsKeys("conversation_id", "mode", "model", "input_tokens", "output_tokens", "model_latency_ms", "cost_usd"));
        assertThat(lines).filteredOn(l -> "job.finished".equals(l.get("event"))).singleElement()
                .satisfies(l -> assertThat(l).containsEntry("outcome", "succeeded").containsKeys("job_id", "duration_ms", "mode"));
        assertThat(lines).filteredOn(l -> l.containsKey("_aws")).as("EMF metrics of the three compactions").hasSize(3);
        for (String secret : List.of(API_KEY, ANTHROPIC_KEY, AWS_SECRET, SYSTEM_PROMPT, CUSTOM_PROMPT, SUMMARY, "Nightingale",
                "marmalade-otter", "wire 7781")) {
            assertThat(logs).as("the logs hold no '%s'", secret).doesNotContain(secret);
        }
        for (String message : MESSAGES) {
            assertThat(logs).doesNotContain(message);
        }
    }

    /** Creates an agent and a conversation, compacts it twice synchronously and once as a job, and reads the results. */
    private static void session(int port, FunctionHost host) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String agent = id(send(http, port, "POST", "/v1/agents", Map.of("model", "anthropic/claude-haiku-4-5", "system", SYSTEM_PROMPT,
                "compaction_settings", Map.of("mode", "all", "prompt", CUSTOM_PROMPT))));
        String conversation = id(send(http, port, "POST", "/v1/conversations?agent_id=" + agent, null));
        for (int round = 0; round < 3; round++) {
            List<Map<String, Object>> messages = new ArrayList<>();
            for (int i = 0; i < MESSAGES.size(); i++) {
                messages.add(Map.of("role", i % 2 == 0 ? "user" : "assistant", "content", MESSAGES.get(i)));
            }
            assertThat(send(http, port, "POST", "/v1/conversations/" + conversation + "/messages/append", Map.of("messages", messages))
                    .statusCode()).isEqualTo(200);
            String path = "/v1/conversations/" + conversation + "/compact" + (round == 2 ? "?async=true" : "");
            HttpResponse<String> compacted = send(http, port, "POST", path, Map.of());
            assertThat(compacted.statusCode()).as(compacted.body()).isEqualTo(round == 2 ? 202 : 200);
            host.lambda().awaitIdle(Duration.ofSeconds(60));
        }
        assertThat(send(http, port, "GET", "/v1/conversations/" + conversation + "/messages", null).body()).contains(SUMMARY);
        assertThat(send(http, port, "GET", "/v1/usage", null).statusCode()).isEqualTo(200);
    }

    private static HttpResponse<String> send(HttpClient http, int port, String method, String path, Object body)
            throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + API_KEY)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(Json.write(body)))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String id(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return (String) Json.parseObject(response.body()).get("id");
    }
}
