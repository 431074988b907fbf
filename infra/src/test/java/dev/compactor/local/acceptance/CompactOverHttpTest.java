package dev.compactor.local.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.conversation.Ids;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.Role;
import dev.compactor.local.command.Seeder;
import dev.compactor.local.testing.LocalApi;
import dev.compactor.local.testing.TestDynamo;
import dev.compactor.support.Json;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The compact route over real HTTP: API Gateway emulator, proxy events, the handler, DynamoDB Local. */
class CompactOverHttpTest {
    private final TestDynamo local = TestDynamo.get();
    private final LocalApi api = LocalApi.start();
    private final String table = api.table;

    @AfterEach
    void stop() {
        api.close();
    }

    private HttpResponse<String> post(String path, String body) {
        return api.http.post(path, body).raw();
    }

    private String seeded() {
        String id = Ids.newConversationId();
        Seeder.seed(local.services(table).store(), Seeder.SAMPLE_AGENT_ID, id, "local/extractive", Seeder.CONTEXT_WINDOW);
        return id;
    }

    @Test
    void compactsThenAnswersLettas400WhenNothingIsLeftToCompact() throws Exception {
        String id = seeded();

        HttpResponse<String> first = post("/v1/conversations/" + id + "/compact", "{\"compaction_settings\":{\"mode\":\"all\"}}");
        HttpResponse<String> second = post("/v1/conversations/" + id + "/compact", "{\"compaction_settings\":{\"mode\":\"all\"}}");

        assertThat(first.statusCode()).isEqualTo(200);
        Map<String, Object> body = Json.parseObject(first.body());
        assertThat(body).containsEntry("num_messages_before", 43L).containsEntry("num_messages_after", 2L);
        assertThat((String) body.get("summary")).contains("ACME-5862");
        assertThat(first.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(second.statusCode()).isEqualTo(400);
        assertThat(Json.parseObject(second.body())).containsEntry("detail", "Summarization failed to reduce the number of "
                + "messages. You may not have enough messages to compact or need to use a different CompactionSettings "
                + "(e.g. using `all` mode).");
    }

    @Test
    void anEmptyBodyUsesTheDefaultSlidingWindow() throws Exception {
        String id = seeded();

        HttpResponse<String> response = post("/v1/conversations/" + id + "/compact", null);

        assertThat(response.statusCode()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        Map<String, Object> details = (Map<String, Object>) Json.parseObject(response.body()).get("compaction");
        assertThat(details).containsEntry("mode_used", "sliding_window");
        assertThat(local.services(table).store().snapshot("local", id).inContext()).hasSize(28);
    }

    @Test
    void aNewConversationHasNothingToCompact() throws Exception {
        String id = Ids.newConversationId();
        var store = local.services(table).store();
        Seeder.seed(store, Seeder.SAMPLE_AGENT_ID, Ids.newConversationId(), "local/extractive", Seeder.CONTEXT_WINDOW);
        store.createConversation("local", store.findAgent("local", Seeder.SAMPLE_AGENT_ID).orElseThrow(), id);

        assertThat(post("/v1/conversations/" + id + "/compact", "{}").statusCode()).isEqualTo(400);
    }

    @Test
    void idsThatDoNotMatchLettasPatternAre422WithLettasBody() throws Exception {
        HttpResponse<String> response = post("/v1/conversations/conv-00000000-0000-0000-0000-000000000000/compact", "{}");

        assertThat(response.statusCode()).isEqualTo(422);
        Map<String, Object> body = Json.parseObject(response.body());
        assertThat(body).containsKey("trace_id");
        assertThat((String) body.get("detail")).startsWith("[{'type': 'string_pattern_mismatch', 'loc': ('path', 'conversation_id'), "
                + "'msg': \"String should match pattern '^(default|conv-");
    }

    @Test
    void badSettingsAre422AndChangeNothing() throws Exception {
        String id = seeded();

        HttpResponse<String> response = post("/v1/conversations/" + id + "/compact",
                "{\"compaction_settings\":{\"mode\":\"fast\",\"sliding_window_percentage\":2}}");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat((String) Json.parseObject(response.body()).get("detail")).contains("'type': 'literal_error'")
                .contains("'type': 'less_than_equal'");
        assertThat(local.services(table).store().snapshot("local", id).inContext()).hasSize(43);
    }

    @Test
    void malformedJsonIs422() throws Exception {
        HttpResponse<String> response = post("/v1/conversations/" + seeded() + "/compact", "{\"compaction_settings\":");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat((String) Json.parseObject(response.body()).get("detail")).contains("'type': 'json_invalid'");
    }

    @Test
    void trailingContentAfterTheJsonIs422AndCompactsNothing() throws Exception {
        String id = seeded();

        HttpResponse<String> response = post("/v1/conversations/" + id + "/compact", "{\"compaction_settings\":{}} this is not JSON");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat((String) Json.parseObject(response.body()).get("detail"))
                .startsWith("[{'type': 'json_invalid', 'loc': ('body', 0), 'msg': 'JSON decode error'");
        assertThat(local.services(table).store().snapshot("local", id).inContext()).hasSize(43);
    }

    @Test
    void unknownConversationsAre404() throws Exception {
        HttpResponse<String> response = post("/v1/conversations/" + Ids.newConversationId() + "/compact", "{}");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat((String) Json.parseObject(response.body()).get("detail")).contains("not found");
        assertThat(post("/v1/conversations/default/compact", "{}").statusCode()).isEqualTo(404);
    }

    @Test
    void agentDirectModeCompactsTheAgentsDefaultConversation() throws Exception {
        String agentId = Ids.newAgentId();
        var store = local.services(table).store();
        Seeder.seed(store, agentId, Ids.newConversationId(), "local/extractive", Seeder.CONTEXT_WINDOW);
        store.append("local", agentId, List.of(Message.text(Role.USER, "hello"), Message.text(Role.ASSISTANT, "hi there"),
                Message.text(Role.USER, "remember the number 4242"), Message.text(Role.ASSISTANT, "noted")));

        HttpResponse<String> direct = post("/v1/conversations/default/compact",
                "{\"agent_id\":\"" + agentId + "\",\"compaction_settings\":{\"mode\":\"all\"}}");

        assertThat(direct.statusCode()).isEqualTo(200);
        assertThat(Json.parseObject(direct.body())).containsEntry("num_messages_before", 5L).containsEntry("num_messages_after", 2L);
        assertThat(post("/v1/conversations/" + agentId + "/compact", "{\"compaction_settings\":{\"mode\":\"all\"}}").statusCode())
                .as("deprecated agent id in the path reaches the same conversation").isEqualTo(400);
        assertThat(post("/v1/conversations/default/compact", "{\"agent_id\":\"bob\"}").body())
                .contains("INVALID_ARGUMENT: Invalid agent ID format: bob. Expected format: 'agent-<uuid4>'");
        assertThat(post("/v1/conversations/default/compact", "{\"agent_id\":\"" + Ids.newAgentId() + "\"}").statusCode())
                .isEqualTo(404);
    }

    @Test
    void routesNotInTheTemplateGetLettasNotFound() throws Exception {
        HttpResponse<String> response = post("/v1/nowhere", "{}");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).isEqualTo("{\"detail\":\"Not Found\"}");
    }

    @Test
    void aTrailingSlashReachesTheSameRoute() throws Exception {
        assertThat(post("/v1/conversations/" + seeded() + "/compact/", "{}").statusCode()).isEqualTo(200);
    }

    @Test
    void servesEveryApiRouteOfTheTemplate() {
        List<String> templateRoutes = local.template.functions().stream().flatMap(f -> f.routes().stream())
                .map(r -> r.method() + " " + r.path()).sorted().toList();

        assertThat(api.routes()).isEqualTo(templateRoutes).isNotEmpty();
    }
}
