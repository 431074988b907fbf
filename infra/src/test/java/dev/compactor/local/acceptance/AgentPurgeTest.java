package dev.compactor.local.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.api.ApiHandler;
import dev.compactor.api.ApiResponse;
import dev.compactor.app.Services;
import dev.compactor.llm.SummaryResult;
import dev.compactor.llm.TokenUsage;
import dev.compactor.local.testing.ApiEvents;
import dev.compactor.local.testing.HttpJson;
import dev.compactor.local.testing.Latches;
import dev.compactor.local.testing.LocalApi;
import dev.compactor.local.testing.TestDynamo;
import dev.compactor.support.Env;
import dev.compactor.support.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * {@code DELETE /v1/agents/{agent_id}?purge=true} against DynamoDB Local: the agent and every
 * conversation it has (default, listed, hidden, soft-deleted) leave no item behind, another agent
 * and the usage records stay; a crash in the middle resumes; a conversation created while the
 * purge runs is refused.
 */
class AgentPurgeTest {
    private static final String TENANT = "local";
    /** Text only the purged agent's conversations hold. */
    private final String secret = "secret-" + UUID.randomUUID();

    private final TestDynamo local = TestDynamo.get();

    private List<Map<String, AttributeValue>> scan(String table) {
        try (DynamoDbClient client = local.dynamo.client()) {
            List<Map<String, AttributeValue>> items = new ArrayList<>();
            client.scanPaginator(r -> r.tableName(table).consistentRead(true)).items().forEach(items::add);
            return items;
        }
    }

    /** No item but purge receipts and usage records names any of {@code ids}, and none holds the secret. */
    private void assertNothingLeft(String table, List<String> ids) {
        List<Map<String, AttributeValue>> all = scan(table);
        assertThat(all).filteredOn(item -> item.toString().contains(secret)).as("items holding the agent's text").isEmpty();
        for (String id : ids) {
            assertThat(all).filteredOn(item -> item.toString().contains(id)).as("items naming " + id)
                    .allSatisfy(item -> assertThat(item.get("pk").s()).matches("T#[^#]+#[UP]#.*"));
        }
    }

    private List<Map<String, AttributeValue>> itemsNaming(String table, String id) {
        return scan(table).stream().filter(item -> item.toString().contains(id)).toList();
    }

    @Test
    void anAgentPurgeOverHttpLeavesNothingOfItsConversationsAndTouchesNoOtherAgent() {
        try (LocalApi api = LocalApi.start()) {
            HttpJson http = api.http;
            String agent = (String) ok(http.post("/v1/agents/", Map.of("name", "purged", "model", "local/extractive",
                    "system", "Be brief."))).get("id");
            String other = (String) ok(http.post("/v1/agents/", Map.of("name", "kept", "model", "local/extractive"))).get("id");
            String listed = (String) ok(http.post("/v1/conversations/?agent_id=" + agent, Map.of())).get("id");
            String hidden = (String) ok(http.post("/v1/conversations/?agent_id=" + agent, Map.of("hidden", true))).get("id");
            String softDeleted = (String) ok(http.post("/v1/conversations/?agent_id=" + agent, Map.of())).get("id");
            String kept = (String) ok(http.post("/v1/conversations/?agent_id=" + other, Map.of())).get("id");
            for (String id : List.of(agent, listed, hidden, softDeleted)) {
                ok(http.post("/v1/conversations/" + id + "/messages/append", turns(12, secret)));
            }
            ok(http.post("/v1/conversations/" + kept + "/messages/append", turns(12, "another topic")));
            ok(http.post("/v1/conversations/" + listed + "/compact", Map.of("compaction_settings", Map.of("mode", "all"))));
            ok(http.post("/v1/conversations/" + kept + "/compact", Map.of("compaction_settings", Map.of("mode", "all"))));
            assertThat(http.delete("/v1/conversations/" + softDeleted).status()).isEqualTo(200);
            List<Map<String, AttributeValue>> otherItems = itemsNaming(api.table, other);
            List<Map<String, AttributeValue>> usage = scan(api.table).stream()
                    .filter(item -> item.get("pk").s().matches("T#[^#]+#U#.*")).toList();
            assertThat(usage).as("the compaction was metered").anySatisfy(item -> assertThat(item.toString()).contains(listed));

            HttpJson.Response purged = http.delete("/v1/agents/" + agent + "?purge=true");

            assertThat(purged.status()).as(purged.raw().body()).isEqualTo(200);
            assertThat(purged.object()).containsEntry("agent_id", agent).containsEntry("status", "purged");
            assertNothingLeft(api.table, List.of(agent, listed, hidden, softDeleted));
            assertThat(itemsNaming(api.table, other)).as("the other agent").containsExactlyInAnyOrderElementsOf(otherItems);
            assertThat(scan(api.table).stream().filter(item -> item.get("pk").s().matches("T#[^#]+#U#.*")).toList())
                    .as("usage stays").containsExactlyInAnyOrderElementsOf(usage);
            assertThat(http.get("/v1/agents/" + agent).status()).isEqualTo(404);
            assertThat(http.get("/v1/conversations/" + listed).status()).isEqualTo(404);
            assertThat(http.get("/v1/agents/").list()).extracting(a -> a.get("id")).containsExactly(other);
            assertThat(http.get("/v1/agents/" + agent + "/purge").object()).containsEntry("status", "purged");
            assertThat(http.get("/v1/conversations/" + hidden + "/purge").object()).containsEntry("status", "purged");
            assertThat(http.delete("/v1/agents/" + agent + "?purge=true").object()).as("a retry").containsEntry("status", "purged");
            assertThat(http.delete("/v1/agents/" + other + "?purge=maybe").status()).isEqualTo(422);
            assertThat(http.get("/v1/agents/" + other).status()).isEqualTo(200);
            assertThat(http.delete("/v1/agents/agent-" + UUID.randomUUID() + "?purge=true").status()).isEqualTo(404);
        }
    }

    private static Map<String, Object> ok(HttpJson.Response response) {
        assertThat(response.status()).as(response.raw().body()).isEqualTo(200);
        return response.object();
    }

    private static Map<String, Object> turns(int count, String topic) {
        return Map.of("messages", IntStream.range(0, count).<Map<String, Object>>mapToObj(i -> Map.of("role", i % 2 == 0 ? "user" : "assistant",
                "content", "turn " + i + " about " + topic)).toList());
    }

    // ---- through the handler, where a DynamoDB interceptor can break or hold the purge -----------------

    private final String table = local.newTable();

    private Services services(ExecutionInterceptor interceptor) {
        Map<String, String> vars = new HashMap<>(local.env(table).vars());
        vars.remove(Env.COMPACTION_WORKER_FUNCTION);
        return local.services(new Env(vars), handle -> request -> new SummaryResult("summary", SummaryResult.LLM, handle,
                TokenUsage.NONE, 10), interceptor);
    }

    private static ApiResponse send(ApiHandler api, String method, String resource, Function<ApiEvents, String> request) {
        return api.handle(request.apply(ApiEvents.of(TENANT, method, resource)), null, Instant.now().plusSeconds(25));
    }

    private static String created(ApiResponse response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return (String) Json.parseObject(response.body()).get("id");
    }

    private static String agent(ApiHandler api) {
        return created(send(api, "POST", "/v1/agents", e -> e.body(Map.of("model", "local/extractive"))));
    }

    private static ApiResponse createConversation(ApiHandler api, String agent) {
        return send(api, "POST", "/v1/conversations", e -> e.query("agent_id", agent).body(null));
    }

    private ApiResponse append(ApiHandler api, String conversation, int count) {
        return send(api, "POST", "/v1/conversations/{conversation_id}/messages/append",
                e -> e.param("conversation_id", conversation).body(turns(count, secret)));
    }

    private static ApiResponse purgeAgent(ApiHandler api, String agent) {
        return send(api, "DELETE", "/v1/agents/{agent_id}", e -> e.param("agent_id", agent).query("purge", "true").body(null));
    }

    @Test
    void anAgentPurgeInterruptedByACrashLeavesTheAgentUnusableAndResumesWhenAskedAgain() {
        ApiHandler api = new ApiHandler(services(new ExecutionInterceptor() {}));
        String agent = agent(api);
        List<String> ids = new ArrayList<>(List.of(agent));
        for (int i = 0; i < 3; i++) {
            ids.add(created(createConversation(api, agent)));
        }
        for (String id : ids) {
            assertThat(append(api, id, 40).status()).isEqualTo(200);
        }
        AtomicInteger batches = new AtomicInteger();
        ApiHandler crashing = new ApiHandler(services(new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof BatchWriteItemRequest && batches.incrementAndGet() >= 3) {
                    throw new IllegalStateException("injected crash");
                }
            }
        }));

        assertThat(purgeAgent(crashing, agent).status()).isEqualTo(500);

        assertThat(batches.get()).isEqualTo(3);
        assertThat(Json.parseObject(send(api, "GET", "/v1/agents/{agent_id}/purge", e -> e.param("agent_id", agent).body(null)).body()))
                .containsEntry("status", "purging");
        assertThat(send(api, "GET", "/v1/agents/{agent_id}", e -> e.param("agent_id", agent).body(null)).status()).isEqualTo(404);
        assertThat(createConversation(api, agent).status()).as("no conversation for a tombstoned agent").isEqualTo(404);
        assertThat(send(api, "PATCH", "/v1/agents/{agent_id}", e -> e.param("agent_id", agent).body(Map.of("name", "back")))
                .status()).isEqualTo(404);
        assertThat(scan(table)).as("the crash left items to purge").anySatisfy(item -> assertThat(item.toString()).contains(secret));

        ApiResponse resumed = purgeAgent(api, agent);

        assertThat(resumed.status()).as(resumed.body()).isEqualTo(200);
        assertThat(Json.parseObject(resumed.body())).containsEntry("status", "purged");
        assertNothingLeft(table, ids);
    }

    @Test
    void aConversationCreateThatReadTheAgentBeforeThePurgeBeganGets404AndLeavesNothing() throws Exception {
        Services services = services(new ExecutionInterceptor() {});
        ApiHandler api = new ApiHandler(services);
        String agent = agent(api);
        CountDownLatch read = new CountDownLatch(1);
        CountDownLatch tombstoned = new CountDownLatch(1);
        AtomicBoolean first = new AtomicBoolean(true);
        // The create has found the agent and is about to commit its transaction: held there until the purge began.
        ApiHandler creator = new ApiHandler(services(new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof TransactWriteItemsRequest && first.compareAndSet(true, false)) {
                    read.countDown();
                    Latches.await(tombstoned);
                }
            }
        }));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<ApiResponse> racing = pool.submit(() -> createConversation(creator, agent));
        Latches.await(read);

        services.agentPurges().begin(TENANT, agent);
        tombstoned.countDown();

        ApiResponse refused = racing.get(1, TimeUnit.MINUTES);
        pool.shutdown();
        assertThat(refused.status()).as(refused.body()).isEqualTo(404);
        assertThat(purgeAgent(api, agent).status()).isEqualTo(200);
        assertThat(scan(table)).filteredOn(item -> item.toString().contains(agent))
                .allSatisfy(item -> assertThat(item.get("pk").s()).startsWith("T#" + TENANT + "#P#"));
        assertThat(scan(table)).filteredOn(item -> item.get("pk").s().startsWith("T#" + TENANT + "#C#")).as("no conversation").isEmpty();
    }
}
