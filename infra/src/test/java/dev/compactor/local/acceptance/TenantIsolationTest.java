package dev.compactor.local.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.api.ApiHandler;
import dev.compactor.api.ApiResponse;
import dev.compactor.local.testing.ApiEvents;
import dev.compactor.local.testing.TestDynamo;
import dev.compactor.support.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One tenant's ids are unknown to every other tenant: each route answers 404 and changes nothing.
 * Tenants come from the API Gateway authorizer context, as in the cloud; events go to the real
 * handler backed by DynamoDB Local.
 */
class TenantIsolationTest {
    private final TestDynamo local = TestDynamo.get();
    private final ApiHandler handler = new ApiHandler(local.services(local.newTable()));

    private ApiResponse call(String tenant, String method, String resource, Map<String, String> params, Map<String, String> query,
                             Object body) {
        ApiEvents event = ApiEvents.of(tenant, method, resource);
        params.forEach(event::param);
        query.forEach(event::query);
        return handler.handle(event.body(body), null, Instant.now().plusSeconds(20));
    }

    private static String id(ApiResponse response) {
        return (String) Json.parseObject(response.body()).get("id");
    }

    @Test
    void anotherTenantCannotReachAnAgentOrItsConversations() {
        String agent = id(call("acme", "POST", "/v1/agents", Map.of(), Map.of(), Map.of("model", "local/extractive")));
        String conversation = id(call("acme", "POST", "/v1/conversations", Map.of(), Map.of("agent_id", agent), null));
        Map<String, Object> messages = Map.of("messages", List.of(Map.of("role", "user", "content", "secret plans"),
                Map.of("role", "assistant", "content", "noted")));
        assertThat(call("acme", "POST", "/v1/conversations/{conversation_id}/messages/append",
                Map.of("conversation_id", conversation), Map.of(), messages).status()).isEqualTo(200);
        String acmeView = call("acme", "GET", "/v1/conversations/{conversation_id}/messages",
                Map.of("conversation_id", conversation), Map.of(), null).body();

        Map<String, String> conv = Map.of("conversation_id", conversation);
        List<ApiResponse> attempts = List.of(
                call("globex", "GET", "/v1/agents/{agent_id}", Map.of("agent_id", agent), Map.of(), null),
                call("globex", "PATCH", "/v1/agents/{agent_id}", Map.of("agent_id", agent), Map.of(), Map.of("name", "mine")),
                call("globex", "POST", "/v1/conversations", Map.of(), Map.of("agent_id", agent), null),
                call("globex", "GET", "/v1/conversations/{conversation_id}", conv, Map.of(), null),
                call("globex", "GET", "/v1/conversations/{conversation_id}/messages", conv, Map.of(), null),
                call("globex", "GET", "/v1/conversations/{conversation_id}/messages", Map.of("conversation_id", "default"),
                        Map.of("agent_id", agent), null),
                call("globex", "POST", "/v1/conversations/{conversation_id}/messages/append", conv, Map.of(), messages),
                call("globex", "POST", "/v1/conversations/{conversation_id}/compact", conv, Map.of(), Map.of()),
                call("globex", "POST", "/v1/conversations/{conversation_id}/compact", Map.of("conversation_id", agent), Map.of(), Map.of()),
                call("globex", "GET", "/v1/conversations/{conversation_id}/compactions", conv, Map.of(), null),
                call("globex", "POST", "/v1/conversations/{conversation_id}/compactions/{generation}/revert",
                        Map.of("conversation_id", conversation, "generation", "1"), Map.of(), null));

        assertThat(attempts).allSatisfy(r -> {
            assertThat(r.status()).as(r.body()).isEqualTo(404);
            assertThat(r.body()).doesNotContain("secret plans");
        });
        assertThat(call("acme", "GET", "/v1/conversations/{conversation_id}/messages", conv, Map.of(), null).body()).isEqualTo(acmeView);
        assertThat(Json.parseObject(call("acme", "GET", "/v1/agents/{agent_id}", Map.of("agent_id", agent), Map.of(), null).body()))
                .containsEntry("name", "agent");
    }

    @Test
    void anotherTenantListsNothingOfOneTenantAndCannotChangeForkOrDeleteIt() {
        String agent = id(call("acme", "POST", "/v1/agents", Map.of(), Map.of(), Map.of("model", "local/extractive")));
        String conversation = id(call("acme", "POST", "/v1/conversations", Map.of(), Map.of("agent_id", agent),
                Map.of("summary", "secret plans")));
        Map<String, String> conv = Map.of("conversation_id", conversation);

        assertThat(call("globex", "GET", "/v1/agents", Map.of(), Map.of(), null).body()).isEqualTo("[]");
        assertThat(call("globex", "GET", "/v1/conversations", Map.of(), Map.of(), null).body()).isEqualTo("[]");
        assertThat(call("globex", "GET", "/v1/conversations", Map.of(), Map.of("agent_id", agent), null).body()).isEqualTo("[]");
        assertThat(call("globex", "GET", "/v1/conversations", Map.of(), Map.of("order_by", "last_message_at", "archive_status", "all"),
                null).body()).isEqualTo("[]");
        List<ApiResponse> attempts = List.of(
                call("globex", "GET", "/v1/conversations", Map.of(), Map.of("after", conversation), null),
                call("globex", "PATCH", "/v1/conversations/{conversation_id}", conv, Map.of(), Map.of("summary", "mine")),
                call("globex", "POST", "/v1/conversations/{conversation_id}/fork", conv, Map.of(), null),
                call("globex", "POST", "/v1/conversations/{conversation_id}/fork", Map.of("conversation_id", "default"),
                        Map.of("agent_id", agent), null),
                call("globex", "DELETE", "/v1/conversations/{conversation_id}", conv, Map.of(), null),
                call("globex", "DELETE", "/v1/agents/{agent_id}", Map.of("agent_id", agent), Map.of(), null));

        assertThat(attempts).allSatisfy(r -> {
            assertThat(r.status()).as(r.body()).isEqualTo(404);
            assertThat(r.body()).doesNotContain("secret plans");
        });
        assertThat(Json.parseObject(call("acme", "GET", "/v1/conversations/{conversation_id}", conv, Map.of(), null).body()))
                .containsEntry("summary", "secret plans");
        assertThat(call("acme", "GET", "/v1/conversations", Map.of(), Map.of(), null).body()).contains(conversation);
        assertThat(call("acme", "GET", "/v1/agents", Map.of(), Map.of(), null).body()).contains(agent);
    }
}
