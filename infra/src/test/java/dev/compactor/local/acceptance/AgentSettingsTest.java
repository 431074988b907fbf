package dev.compactor.local.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.compaction.CompactionMode;
import dev.compactor.local.testing.HttpJson;
import dev.compactor.local.testing.LocalApi;
import dev.compactor.support.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Compaction settings over real HTTP (API Gateway emulator, the handler, DynamoDB Local; the
 * deployment's default summarizer is the offline one): judged the same way at agent create, agent
 * PATCH and compact, stored complete with Letta's defaults, merged per field by a PATCH.
 */
class AgentSettingsTest {
    private static final LocalApi API = LocalApi.start();
    private static final HttpJson HTTP = API.http;
    private static final String MODEL = "local/extractive";

    @AfterAll
    static void stop() {
        API.close();
    }

    private static Map<String, Object> body(Object... keysAndValues) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            body.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return body;
    }

    private static Map<String, Object> agent(Object settings) {
        HttpJson.Response created = HTTP.post("/v1/agents/", settings == null ? body("model", MODEL)
                : body("model", MODEL, "compaction_settings", settings));
        assertThat(created.status()).as(created.raw().body()).isEqualTo(200);
        return created.object();
    }

    /** An agent whose default conversation has ten user/assistant turns. */
    private static String agentWithTurns(Object settings) {
        String id = (String) agent(settings).get("id");
        List<Map<String, Object>> messages = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            messages.add(body("role", "user", "content", "Please check order ORD-" + i + " for the customer."));
            messages.add(body("role", "assistant", "content", "Order ORD-" + i + " ships on day " + i + "."));
        }
        HttpJson.Response appended = HTTP.post("/v1/conversations/default/messages/append", body("agent_id", id, "messages", messages));
        assertThat(appended.status()).as(appended.raw().body()).isEqualTo(200);
        return id;
    }

    private static HttpJson.Response compact(String agentId, Object settings, boolean dryRun) {
        Map<String, Object> body = settings == null ? body("agent_id", agentId) : body("agent_id", agentId, "compaction_settings", settings);
        return HTTP.post("/v1/conversations/default/compact" + (dryRun ? "?dry_run=true" : ""), body);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> settingsOf(Map<String, Object> agent) {
        return (Map<String, Object>) agent.get("compaction_settings");
    }

    // Every settings field, accepted or rejected alike at agent create, agent PATCH and compact. A
    // rejected PATCH changes nothing.
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            {"clip_chars": 100}                                                         | 200
            {"clip_chars": null}                                                        | 200
            {"clip_chars": "12"}                                                        | 200
            {"clip_chars": true}                                                        | 200
            {"clip_chars": -1}                                                          | 422
            {"clip_chars": "many"}                                                      | 422
            {"mode": "all"}                                                             | 200
            {"mode": "self_compact_sliding_window"}                                     | 200
            {"mode": "fast"}                                                            | 422
            {"mode": null}                                                              | 422
            {"sliding_window_percentage": 0.9}                                          | 200
            {"sliding_window_percentage": 0.2}                                          | 200
            {"sliding_window_percentage": 1.5}                                          | 422
            {"sliding_window_percentage": null}                                         | 422
            {"prompt": "Summarise tersely."}                                            | 200
            {"prompt": null}                                                            | 200
            {"prompt": 7}                                                               | 422
            {"prompt_acknowledgement": "yes"}                                           | 200
            {"prompt_acknowledgement": null}                                            | 422
            {"model": "openai/gpt-5-mini"}                                              | 200
            {"model": null}                                                             | 200
            {"model": "gpt-4o"}                                                         | 422
            {"model": "acme/x"}                                                         | 422
            {"not_a_field": 1, "mode": "all"}                                           | 200
            {"model": "openai/gpt-5-mini", "model_settings": {"provider_type": "openai", "temperature": 0.05, "reasoning": {"reasoning_effort": "high"}}} | 200
            {"model_settings": {"provider_type": "anthropic", "effort": "low", "thinking": {"type": "enabled", "extra": 1}, "unknown": 2}} | 200
            {"model": "bedrock/x", "model_settings": {"provider_type": "openai", "max_output_tokens": 900, "temperature": 0.2}} | 200
            {"model": "anthropic/claude-haiku-4-5", "model_settings": {"provider_type": "anthropic", "effort": "low"}} | 200
            {"model": "openai/gpt-4o-mini", "model_settings": {"provider_type": "anthropic", "verbosity": "low"}} | 200
            {"model": "openai/gpt-5-mini", "model_settings": {"provider_type": "anthropic", "verbosity": "low", "effort": "max"}} | 200
            {"model": "openai/o3", "model_settings": {"provider_type": "openai", "temperature": 0.3}} | 200
            {"model": "openai/gpt-4o-mini", "model_settings": {"provider_type": "openai", "reasoning": {"reasoning_effort": "low"}}} | 200
            {"model": "bedrock/x", "model_settings": {"provider_type": "bedrock", "response_format": {"type": "json_object"}}} | 200
            {"model": "anthropic/claude-haiku-4-5", "model_settings": {"provider_type": "anthropic", "max_output_tokens": 500, "thinking": {"type": "enabled", "budget_tokens": 1024}}} | 200
            {"model": "ollama/qwen3:8b", "model_settings": {"provider_type": "openai", "temperature": 0.2, "reasoning": {"reasoning_effort": "high"}}} | 200
            {"model": "minimax/MiniMax-M2", "model_settings": {"provider_type": "anthropic", "effort": "low", "temperature": 0.5}} | 200
            {"model": "vllm/Qwen/Qwen3-32B", "model_settings": {"provider_type": "anthropic", "thinking": {"type": "enabled"}}} | 200
            {"model_settings": {"provider_type": "ollama", "temperature": 0.2}}         | 422
            {"model": "ollama/qwen3:8b", "model_settings": {"provider_type": "openai", "temperature": 9}} | 422
            {"model_settings": null}                                                    | 200
            {"model_settings": {"temperature": 0.1}}                                    | 422
            {"model_settings": {"provider_type": "acme"}}                               | 422
            {"model_settings": {"provider_type": "openai", "temperature": 3}}           | 422
            {"model_settings": {"provider_type": "openai", "reasoning": {"reasoning_effort": "extreme"}}} | 422
            "all"                                                                       | 422
            """)
    void everyFieldIsJudgedAlikeAtCreatePatchAndCompact(String settingsJson, int expected) {
        Object settings = Json.parse(settingsJson);

        HttpJson.Response created = HTTP.post("/v1/agents/", body("model", MODEL, "compaction_settings", settings));
        Map<String, Object> before = agent(null);
        String id = (String) before.get("id");
        HttpJson.Response patched = HTTP.patch("/v1/agents/" + id, body("compaction_settings", settings));
        String withTurns = agentWithTurns(null);
        HttpJson.Response compacted = compact(withTurns, settings, true);

        assertThat(List.of(created.status(), patched.status(), compacted.status())).as(settingsJson)
                .containsOnly(expected);
        if (expected == 422) {
            assertThat(List.of(created.detail(), patched.detail(), compacted.detail())).allSatisfy(detail ->
                    assertThat(detail).contains("'loc': ('body', 'compaction_settings'"));
            assertThat(HTTP.get("/v1/agents/" + id).object()).isEqualTo(before);
        }
    }

    // Every shape accepted at create or PATCH can be compacted with an empty body.
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            {}
            {"clip_chars": null, "prompt_acknowledgement": true}
            {"mode": "all", "prompt": "Summarise tersely."}
            {"sliding_window_percentage": 0.9}
            {"not_a_field": 1}
            {"model_settings": {"provider_type": "openai", "temperature": 0.05, "reasoning": {"reasoning_effort": "high"}}}
            {"model_settings": {"provider_type": "anthropic", "effort": "low", "verbosity": "low", "unknown": 2}}
            {"model_settings": {"provider_type": "bedrock", "response_format": {"type": "json_object"}}}
            """)
    void everyAcceptedShapeCompacts(String settingsJson) {
        Object settings = Json.parse(settingsJson);
        String created = agentWithTurns(settings);
        String patched = agentWithTurns(null);
        assertThat(HTTP.patch("/v1/agents/" + patched, body("compaction_settings", settings)).status()).isEqualTo(200);

        for (String id : List.of(created, patched)) {
            HttpJson.Response compacted = compact(id, Map.of(), false);
            assertThat(compacted.status()).as(compacted.raw().body()).isEqualTo(200);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void fieldsTheSummarizerCannotTakeAreDroppedAndNamedInTheCompactAnswer() {
        String id = agentWithTurns(Json.parse("""
                {"model_settings": {"provider_type": "openai", "temperature": 0.05, "max_output_tokens": 900}}"""));

        HttpJson.Response compacted = compact(id, null, false);

        assertThat(compacted.status()).isEqualTo(200);
        assertThat((Map<String, Object>) compacted.object().get("compaction")).containsEntry("settings_not_applied",
                List.of("model_settings.max_output_tokens", "model_settings.temperature"));
        HttpJson.Response clean = compact(agentWithTurns(null), null, false);
        assertThat((Map<String, Object>) clean.object().get("compaction")).doesNotContainKey("settings_not_applied");
    }

    @Test
    void anAgentCreatedWithoutSettingsStoresTheSummarizerThatWillBeUsedAndTheModesPrompt() {
        Map<String, Object> created = agent(null);
        Map<String, Object> partial = agent(Map.of("mode", "all"));

        Map<String, Object> expected = body("model", MODEL, "model_settings", null, "prompt",
                CompactionMode.SLIDING_WINDOW.defaultPrompt(), "prompt_acknowledgement", false, "clip_chars", 50_000L,
                "mode", "sliding_window", "sliding_window_percentage", 0.3);
        assertThat(settingsOf(created)).isEqualTo(expected);
        assertThat(new ArrayList<>(settingsOf(created).keySet())).containsExactly("model", "model_settings", "prompt",
                "prompt_acknowledgement", "clip_chars", "mode", "sliding_window_percentage");
        assertThat(settingsOf(HTTP.get("/v1/agents/" + created.get("id")).object())).isEqualTo(expected);
        assertThat(settingsOf(partial)).containsEntry("model", MODEL).containsEntry("mode", "all")
                .containsEntry("prompt", CompactionMode.ALL.defaultPrompt());
    }

    @Test
    void aPatchMergesSettingsPerField() {
        String id = (String) agent(Map.of("mode", "all", "prompt", "P", "clip_chars", 40)).get("id");

        Map<String, Object> clipped = HTTP.patch("/v1/agents/" + id, body("compaction_settings", Map.of("clip_chars", 100))).object();
        Map<String, Object> unchanged = HTTP.patch("/v1/agents/" + id, body("compaction_settings", null, "name", "renamed")).object();

        assertThat(settingsOf(clipped)).containsEntry("mode", "all").containsEntry("prompt", "P").containsEntry("clip_chars", 100L)
                .containsEntry("model", MODEL);
        assertThat(settingsOf(unchanged)).isEqualTo(settingsOf(clipped));
        assertThat(unchanged).containsEntry("name", "renamed");
        assertThat(settingsOf(HTTP.get("/v1/agents/" + id).object())).isEqualTo(settingsOf(clipped));
    }

    @Test
    void aModeChangeResetsThePromptToTheNewModesDefaultUnlessAPromptIsSent() {
        String id = (String) agent(Map.of("mode", "all", "prompt", "P")).get("id");

        Map<String, Object> sliding = settingsOf(HTTP.patch("/v1/agents/" + id,
                body("compaction_settings", Map.of("mode", "sliding_window"))).object());
        Map<String, Object> sameMode = settingsOf(HTTP.patch("/v1/agents/" + id,
                body("compaction_settings", Map.of("mode", "sliding_window", "clip_chars", 7))).object());
        Map<String, Object> withPrompt = settingsOf(HTTP.patch("/v1/agents/" + id,
                body("compaction_settings", Map.of("mode", "all", "prompt", "Q"))).object());

        assertThat(sliding).containsEntry("mode", "sliding_window").containsEntry("prompt", CompactionMode.SLIDING_WINDOW.defaultPrompt());
        assertThat(sameMode).containsEntry("prompt", CompactionMode.SLIDING_WINDOW.defaultPrompt()).containsEntry("clip_chars", 7L);
        assertThat(withPrompt).containsEntry("mode", "all").containsEntry("prompt", "Q");
    }
}
