package dev.compactor.local.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.conversation.dynamo.DynamoApiKeys;
import dev.compactor.local.emulator.ApiGatewayEmulator;
import dev.compactor.local.runtime.FunctionHost;
import dev.compactor.local.testing.TestDynamo;
import dev.compactor.support.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * API keys and tenants over HTTP, as in the cloud: the API Gateway emulator runs the template's
 * Lambda authorizer before every route, the authorizer finds the key (Letta's SDKs send
 * {@code Authorization: Bearer}, API Gateway clients {@code x-api-key}) by its hash in DynamoDB
 * Local, and the function serves the key's tenant. One tenant's conversations, compactions, jobs
 * and usage answer another tenant 404, exactly like ones that do not exist, and change nothing.
 */
class ApiKeysOverHttpTest {
    static final String ACME_KEY = "ck_acme_4f1a9c0d2b7e8a6355c1";
    static final String GLOBEX_KEY = "ck_globex_9e2d7b1c0a4f6e8d3c2";

    private final TestDynamo local = TestDynamo.get();
    private final String table = local.newTable();
    private final HttpClient client = HttpClient.newHttpClient();
    private ApiGatewayEmulator api;
    private FunctionHost host;

    @BeforeEach
    void start() throws IOException {
        try (DynamoDbClient dynamo = local.dynamo.client()) {
            DynamoApiKeys keys = new DynamoApiKeys(dynamo, table, Clock.systemUTC());
            keys.register(ACME_KEY, "acme");
            keys.register(GLOBEX_KEY, "globex");
        }
        host = local.host(table);
        api = new ApiGatewayEmulator(host, "127.0.0.1", 0, true);
        api.start();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    /** @param auth the authentication headers, name then value */
    private HttpResponse<String> send(String method, String path, Object body, String... auth) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(Json.write(body)));
        if (auth.length > 0) {
            request.headers(auth);
        }
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String[] bearer(String key) {
        return new String[] {"Authorization", "Bearer " + key};
    }

    private static String[] apiKey(String key) {
        return new String[] {"x-api-key", key};
    }

    private static String id(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isIn(200, 202);
        return (String) Json.parseObject(response.body()).get("id");
    }

    @Test
    void aRequestWithoutARegisteredKeyIsUnauthorizedBeforeReachingTheFunction() {
        List<HttpResponse<String>> refused = List.of(
                send("GET", "/v1/usage", null),
                send("GET", "/v1/usage", null, bearer("ck_never_registered_0000000")),
                send("GET", "/v1/usage", null, "Authorization", "Basic " + ACME_KEY),
                send("GET", "/v1/usage", null, "Authorization", "Bearer " + ACME_KEY, "x-api-key", GLOBEX_KEY));

        assertThat(refused).allSatisfy(r -> {
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.body()).isEqualTo("{\"message\":\"Unauthorized\"}");
            assertThat(r.headers().firstValue("x-request-id")).as("the function never ran").isEmpty();
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void bothHeaderStylesServeTheKeysTenantWhoseItemsNoOtherTenantCanReach() {
        String agent = id(send("POST", "/v1/agents", Map.of("model", "local/extractive"), bearer(ACME_KEY)));
        String conversation = id(send("POST", "/v1/conversations?agent_id=" + agent, null, apiKey(ACME_KEY)));
        List<Map<String, Object>> messages = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            messages.add(Map.of("role", i % 2 == 0 ? "user" : "assistant", "content", "acme's secret plan, part " + i));
        }
        assertThat(send("POST", "/v1/conversations/" + conversation + "/messages/append", Map.of("messages", messages),
                bearer(ACME_KEY)).statusCode()).isEqualTo(200);
        assertThat(send("POST", "/v1/conversations/" + conversation + "/compact", Map.of("compaction_settings", Map.of("mode", "all")),
                apiKey(ACME_KEY)).statusCode()).isEqualTo(200);
        assertThat(send("POST", "/v1/conversations/" + conversation + "/messages/append", Map.of("messages", messages),
                apiKey(ACME_KEY)).statusCode()).isEqualTo(200);
        String job = id(send("POST", "/v1/conversations/" + conversation + "/compact?async=true",
                Map.of("compaction_settings", Map.of("mode", "all")), bearer(ACME_KEY)));
        host.lambda().awaitIdle(Duration.ofSeconds(60));
        String acmeView = send("GET", "/v1/conversations/" + conversation + "/messages", null, bearer(ACME_KEY)).body();

        List<HttpResponse<String>> attempts = List.of(
                send("GET", "/v1/agents/" + agent, null, bearer(GLOBEX_KEY)),
                send("GET", "/v1/conversations/" + conversation, null, bearer(GLOBEX_KEY)),
                send("GET", "/v1/conversations/" + conversation + "/messages", null, apiKey(GLOBEX_KEY)),
                send("POST", "/v1/conversations/" + conversation + "/messages/append", Map.of("messages", messages), bearer(GLOBEX_KEY)),
                send("POST", "/v1/conversations/" + conversation + "/compact", Map.of(), bearer(GLOBEX_KEY)),
                send("POST", "/v1/conversations/" + conversation + "/compact?async=true", Map.of(), bearer(GLOBEX_KEY)),
                send("GET", "/v1/conversations/" + conversation + "/compactions", null, apiKey(GLOBEX_KEY)),
                send("POST", "/v1/conversations/" + conversation + "/compactions/1/revert", null, bearer(GLOBEX_KEY)),
                send("GET", "/v1/compactions/" + job, null, bearer(GLOBEX_KEY)));

        assertThat(attempts).allSatisfy(r -> {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
            assertThat(r.body()).doesNotContain("secret plan");
        });
        assertThat(send("GET", "/v1/conversations/" + conversation + "/messages", null, bearer(ACME_KEY)).body()).isEqualTo(acmeView);
        Map<String, Object> acmeJob = Json.parseObject(send("GET", "/v1/compactions/" + job, null, apiKey(ACME_KEY)).body());
        assertThat(acmeJob).containsEntry("status", "succeeded");
        Map<String, Object> acmeUsage = Json.parseObject(send("GET", "/v1/usage", null, bearer(ACME_KEY)).body());
        Map<String, Object> globexUsage = Json.parseObject(send("GET", "/v1/usage", null, bearer(GLOBEX_KEY)).body());
        assertThat(acmeUsage).containsEntry("tenant", "acme");
        assertThat((Map<String, Object>) acmeUsage.get("totals")).containsEntry("calls", 2L).containsEntry("succeeded", 2L);
        // globex's own attempts on acme's conversation count as globex's failed calls, and nothing of acme's.
        assertThat(globexUsage).containsEntry("tenant", "globex");
        assertThat((List<Map<String, Object>>) globexUsage.get("calls")).allSatisfy(call -> assertThat(call)
                .containsEntry("status", 404L).containsEntry("conversation_id", conversation));
    }

    @Test
    void keysAreStoredOnlyAsTheirHashes() {
        try (DynamoDbClient dynamo = local.dynamo.client()) {
            List<Map<String, AttributeValue>> items = dynamo.scan(ScanRequest.builder().tableName(table).build()).items();

            assertThat(items).hasSize(2).allSatisfy(item -> assertThat(item.get("pk").s()).matches("APIKEY#[0-9a-f]{64}"));
            assertThat(items.toString()).doesNotContain(ACME_KEY).doesNotContain(GLOBEX_KEY);
        }
    }
}
