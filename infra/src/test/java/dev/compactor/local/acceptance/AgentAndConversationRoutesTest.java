package dev.compactor.local.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.compaction.CompactionMode;
import dev.compactor.conversation.Ids;
import dev.compactor.local.testing.HttpJson;
import dev.compactor.local.testing.LocalApi;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Agent and conversation routes over real HTTP (API Gateway emulator, the handler, DynamoDB Local). */
class AgentAndConversationRoutesTest {
    private final LocalApi api = LocalApi.start();
    private final HttpJson http = api.http;

    @AfterEach
    void stop() {
        api.close();
    }

    /** The settings {@link #agentBody()} stores: those sent, completed with Letta's defaults and the deployment's summarizer. */
    static Map<String, Object> storedSettings() {
        Map<String, Object> stored = new LinkedHashMap<>();
        stored.put("model", "local/extractive");
        stored.put("model_settings", null);
        stored.put("prompt", CompactionMode.ALL.defaultPrompt());
        stored.put("prompt_acknowledgement", false);
        stored.put("clip_chars", 2000L);
        stored.put("mode", "all");
        stored.put("sliding_window_percentage", 0.3);
        return stored;
    }

    static Map<String, Object> agentBody() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "support bot");
        body.put("model", "anthropic/claude-sonnet-4-5");
        body.put("context_window_limit", 64000);
        body.put("system", "You answer billing questions.");
        body.put("timezone", "Europe/Paris");
        body.put("compaction_settings", Map.of("mode", "all", "clip_chars", 2000));
        body.put("tools", List.of("web_search"));
        body.put("memory_blocks", List.of(Map.of("label", "human", "value", "Sam")));
        return body;
    }

    @Test
    void createsReadsAndPatchesAnAgentIgnoringFieldsItDoesNotUse() {
        HttpJson.Response created = http.post("/v1/agents/", agentBody());

        assertThat(created.status()).isEqualTo(200);
        Map<String, Object> agent = created.object();
        String id = (String) agent.get("id");
        assertThat(Ids.isAgentId(id)).isTrue();
        assertThat(agent).containsEntry("name", "support bot").containsEntry("model", "anthropic/claude-sonnet-4-5")
                .containsEntry("system", "You answer billing questions.").containsEntry("timezone", "Europe/Paris")
                .containsEntry("compaction_settings", storedSettings())
                .containsEntry("tools", List.of());
        assertThat(agent.get("llm_config")).isEqualTo(Map.of("model", "claude-sonnet-4-5", "model_endpoint_type", "anthropic",
                "context_window", 64000L, "handle", "anthropic/claude-sonnet-4-5"));
        assertThat(http.get("/v1/agents/" + id).object()).isEqualTo(agent);

        HttpJson.Response patched = http.patch("/v1/agents/" + id, Map.of("name", "billing", "context_window_limit", 32000,
                "tags", List.of("ignored")));
        Map<String, Object> cleared = new LinkedHashMap<>();
        cleared.put("compaction_settings", null);
        HttpJson.Response settingsCleared = http.patch("/v1/agents/" + id, cleared);

        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.object()).containsEntry("name", "billing").containsEntry("system", "You answer billing questions.")
                .containsEntry("compaction_settings", storedSettings());
        // As in Letta, a null leaves the stored settings unchanged.
        assertThat(settingsCleared.object()).containsEntry("name", "billing").containsEntry("compaction_settings", storedSettings());
        assertThat(http.get("/v1/agents/" + id).object()).isEqualTo(settingsCleared.object());
    }

    @Test
    void anAgentCreatedWithoutCompactionSettingsStoresLettasDefaults() {
        HttpJson.Response created = http.post("/v1/agents", Map.of("model", "local/extractive"));

        assertThat(created.status()).isEqualTo(200);
        assertThat(created.object().get("compaction_settings")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("model", "local/extractive").containsEntry("mode", "sliding_window");
        assertThat(created.object()).containsEntry("name", "agent")
                .containsEntry("timezone", "UTC").containsEntry("system", "");
    }

    @Test
    void invalidAgentsAre422AndStoreNothing() {
        Map<String, Object> body = new LinkedHashMap<>(agentBody());
        body.put("name", "robert'); drop table");
        body.put("timezone", "Mars/Olympus");
        body.put("context_window_limit", 0);
        body.put("compaction_settings", Map.of("mode", "fast"));

        HttpJson.Response response = http.post("/v1/agents/", body);

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.detail()).contains("'loc': ('body', 'name')", "Name contains invalid characters")
                .contains("'loc': ('body', 'timezone')").contains("'loc': ('body', 'context_window_limit')")
                .contains("'loc': ('body', 'compaction_settings', 'mode')");
        assertThat(http.post("/v1/agents/", Map.of("name", "x")).detail()).contains("'type': 'missing', 'loc': ('body', 'model')");
        assertThat(http.post("/v1/agents/", Map.of("model", "gpt-4o")).detail()).contains("provider/model-name");
    }

    @Test
    void anAgentsCompactionThresholdIsReturnedAndChangesOnlyWhenSent() {
        Map<String, Object> body = new LinkedHashMap<>(agentBody());
        body.put("compaction_threshold", 0.5);
        HttpJson.Response created = http.post("/v1/agents/", body);
        String id = (String) created.object().get("id");

        assertThat(created.object()).containsEntry("compaction_threshold", 0.5);
        assertThat(http.get("/v1/agents/" + id).object()).containsEntry("compaction_threshold", 0.5);
        assertThat(http.patch("/v1/agents/" + id, Map.of("name", "billing")).object()).containsEntry("compaction_threshold", 0.5);
        assertThat(http.patch("/v1/agents/" + id, Map.of("compaction_threshold", 1)).object()).containsEntry("compaction_threshold", 1.0);
        Map<String, Object> toDefault = new LinkedHashMap<>();
        toDefault.put("compaction_threshold", null);
        assertThat(http.patch("/v1/agents/" + id, toDefault).object()).containsEntry("compaction_threshold", null)
                .containsEntry("name", "billing");
        assertThat(http.get("/v1/agents/" + id).object()).containsEntry("compaction_threshold", null);
        assertThat(http.post("/v1/agents/", agentBody()).object()).containsEntry("compaction_threshold", null);
    }

    @Test
    void aCompactionThresholdOutsideZeroToOneIs422AndChangesNothing() {
        Map<String, Object> body = new LinkedHashMap<>(agentBody());
        body.put("compaction_threshold", 0.5);
        String id = (String) http.post("/v1/agents/", body).object().get("id");

        HttpJson.Response zero = http.patch("/v1/agents/" + id, Map.of("compaction_threshold", 0, "name", "renamed"));
        HttpJson.Response above = http.patch("/v1/agents/" + id, Map.of("compaction_threshold", 1.5));
        HttpJson.Response word = http.patch("/v1/agents/" + id, Map.of("compaction_threshold", "high"));
        body.put("compaction_threshold", -0.1);
        HttpJson.Response negative = http.post("/v1/agents/", body);

        assertThat(List.of(zero.status(), above.status(), word.status(), negative.status())).containsOnly(422);
        assertThat(zero.detail()).contains("'type': 'greater_than', 'loc': ('body', 'compaction_threshold')",
                "'msg': 'Input should be greater than 0'");
        assertThat(above.detail()).contains("'type': 'less_than_equal', 'loc': ('body', 'compaction_threshold')");
        assertThat(word.detail()).contains("'type': 'float_parsing', 'loc': ('body', 'compaction_threshold')");
        assertThat(negative.detail()).contains("'type': 'greater_than'");
        assertThat(http.get("/v1/agents/" + id).object()).containsEntry("compaction_threshold", 0.5)
                .containsEntry("name", "support bot");
    }

    @Test
    void agentIdsAreValidatedAsLettaValidatesThem() {
        assertThat(http.get("/v1/agents/agent-123").detail()).contains("'type': 'string_too_short'");
        assertThat(http.get("/v1/agents/agent-00000000-0000-0000-0000-000000000000").detail())
                .contains("'type': 'string_pattern_mismatch'");
        String unknown = Ids.newAgentId();
        HttpJson.Response missing = http.get("/v1/agents/" + unknown);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.detail()).isEqualTo("Agent with ID " + unknown + " not found");
        assertThat(http.patch("/v1/agents/" + unknown, Map.of("name", "x")).status()).isEqualTo(404);
    }

    @Test
    void aNewConversationStartsWithTheAgentsSystemMessage() {
        String agentId = (String) http.post("/v1/agents/", agentBody()).object().get("id");

        HttpJson.Response created = http.post("/v1/conversations/?agent_id=" + agentId, Map.of("summary", "ignored"));

        assertThat(created.status()).isEqualTo(200);
        String id = (String) created.object().get("id");
        assertThat(id).matches(Ids.CONVERSATION_ID);
        assertThat(created.object()).containsEntry("agent_id", agentId).containsEntry("compaction_generation", 0L);
        assertThat((List<?>) created.object().get("in_context_message_ids")).hasSize(1);
        assertThat(http.get("/v1/conversations/" + id).object()).isEqualTo(created.object());
        List<Map<String, Object>> messages = http.get("/v1/conversations/" + id + "/messages").list();
        assertThat(messages).singleElement().satisfies(m -> assertThat(m).containsEntry("message_type", "system_message")
                .containsEntry("content", "You answer billing questions.")
                .containsEntry("id", ((List<?>) created.object().get("in_context_message_ids")).get(0)));
    }

    @Test
    void conversationRoutesAnswerLettasErrors() {
        assertThat(http.post("/v1/conversations/", null).detail()).contains("'type': 'missing', 'loc': ('query', 'agent_id')");
        String unknownAgent = Ids.newAgentId();
        assertThat(http.post("/v1/conversations/?agent_id=" + unknownAgent, null).detail())
                .isEqualTo("Agent with ID " + unknownAgent + " not found");
        assertThat(http.get("/v1/conversations/default").detail()).contains("'type': 'string_too_short'");
        assertThat(http.get("/v1/conversations/" + Ids.newConversationId()).status()).isEqualTo(404);
    }
}
