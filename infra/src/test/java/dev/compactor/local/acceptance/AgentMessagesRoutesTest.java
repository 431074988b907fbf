package dev.compactor.local.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.local.testing.HttpJson;
import dev.compactor.local.testing.LocalApi;
import dev.compactor.support.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Letta's agent routes around compaction, over real HTTP (API Gateway emulator, the handler,
 * DynamoDB Local): {@code POST /v1/agents/{agent_id}/summarize} compacts the agent's default
 * conversation, with Letta's early answer when only the system message and a summary remain, and
 * {@code GET /v1/agents/{agent_id}/messages} lists it as the conversation list does, summaries as
 * {@code user_message}s holding the packed alert, filtered by {@code include_return_message_types}.
 */
class AgentMessagesRoutesTest {
    private final LocalApi api = LocalApi.start();
    private final HttpJson http = api.http;
    private final String agentId = newAgent();

    @AfterEach
    void stop() {
        api.close();
    }

    private String newAgent() {
        return (String) http.post("/v1/agents/", Map.of("model", "local/extractive", "system", "Be brief.")).object().get("id");
    }

    private void appendTurns(String conversation, int n) {
        List<Map<String, String>> messages = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            messages.add(Map.of("role", i % 2 == 0 ? "user" : "assistant", "content", "turn " + i + " about order RE-2026-00417"));
        }
        HttpJson.Response appended = http.post("/v1/conversations/" + conversation + "/messages/append", Map.of("messages", messages));
        assertThat(appended.status()).as(String.valueOf(appended.json())).isEqualTo(200);
    }

    private List<Map<String, Object>> list(String agent, String query) {
        HttpJson.Response response = http.get("/v1/agents/" + agent + "/messages" + query);
        assertThat(response.status()).as(String.valueOf(response.json())).isEqualTo(200);
        return response.list();
    }

    private HttpJson.Response summarize(String agent, Object body) {
        return http.post("/v1/agents/" + agent + "/summarize", body);
    }

    @Test
    void summarizeCompactsTheDefaultConversationThenAnswersItsSummaryWithoutCompactingAgain() {
        appendTurns(agentId, 8);

        HttpJson.Response compacted = summarize(agentId, Map.of("compaction_settings", Map.of("mode", "all")));
        HttpJson.Response again = summarize(agentId, null);
        HttpJson.Response againWithSettings = summarize(agentId, Map.of("compaction_settings", Map.of("mode", "sliding_window")));

        assertThat(compacted.status()).as(String.valueOf(compacted.json())).isEqualTo(200);
        assertThat(compacted.object()).containsEntry("num_messages_before", 9L).containsEntry("num_messages_after", 2L);
        assertThat((String) compacted.object().get("summary")).isNotBlank();
        assertThat(again.status()).as(String.valueOf(again.json())).isEqualTo(200);
        assertThat(again.object()).containsOnlyKeys("summary", "num_messages_before", "num_messages_after")
                .containsEntry("num_messages_before", 2L).containsEntry("num_messages_after", 2L);
        String packedMessage = (String) again.object().get("summary");
        assertThat(packedMessage).startsWith("Note: ").contains("The following is a summary of the previous messages:")
                .endsWith((String) compacted.object().get("summary"));
        assertThat(againWithSettings.object()).isEqualTo(again.object());
        List<Map<String, Object>> compactions = http.get("/v1/conversations/" + agentId + "/compactions").list();
        assertThat(compactions).hasSize(1);
    }

    @Test
    void summarizeTakesTheCompactRoutesDryRunAndJobs() {
        appendTurns(agentId, 6);

        HttpJson.Response dryRun = http.post("/v1/agents/" + agentId + "/summarize?dry_run=true",
                Map.of("agent_id", "ignored", "compaction_settings", Map.of("mode", "all")));
        HttpJson.Response queued = http.post("/v1/agents/" + agentId + "/summarize", Map.of("compaction_settings", Map.of("mode", "all")),
                "Prefer", "respond-async");

        assertThat(dryRun.status()).as(String.valueOf(dryRun.json())).isEqualTo(200);
        assertThat(dryRun.object()).containsEntry("num_messages_before", 7L).containsEntry("num_messages_after", 2L);
        @SuppressWarnings("unchecked")
        Map<String, Object> plan = (Map<String, Object>) dryRun.object().get("compaction");
        assertThat(plan).containsEntry("dry_run", true).containsEntry("conversation_id", agentId);
        assertThat(queued.status()).as(String.valueOf(queued.json())).isEqualTo(202);
        assertThat(queued.object()).containsEntry("conversation_id", agentId).containsEntry("status", "queued");
    }

    @Test
    void summarizeAnswersLettasErrors() {
        HttpJson.Response onlySystem = summarize(agentId, Map.of());
        HttpJson.Response unknown = summarize("agent-00000000-0000-4000-8000-000000000000", null);
        HttpJson.Response malformed = summarize("agent-1", null);
        HttpJson.Response badMode = summarize(agentId, Map.of("compaction_settings", Map.of("mode", "fastest")));

        assertThat(onlySystem.status()).isEqualTo(400);
        assertThat(onlySystem.detail()).startsWith("Summarization failed to reduce the number of messages.");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.detail()).isEqualTo("Agent with ID agent-00000000-0000-4000-8000-000000000000 not found");
        assertThat(malformed.status()).isEqualTo(422);
        assertThat(malformed.detail()).contains("'loc': ('path', 'agent_id')");
        assertThat(badMode.status()).isEqualTo(422);
        assertThat(badMode.detail()).contains("'loc': ('body', 'compaction_settings', 'mode')");
    }

    @Test
    void theAgentsListShowsTheDefaultConversationWithTheSummaryAsAUserMessage() {
        appendTurns(agentId, 4);
        summarize(agentId, Map.of("compaction_settings", Map.of("mode", "all")));
        appendTurns(agentId, 1);

        List<Map<String, Object>> all = list(agentId, "?conversation_id=default&order=asc");
        List<Map<String, Object>> withoutFilter = list(agentId, "?order=asc");
        List<Map<String, Object>> newestFirst = list(agentId, "?limit=2");

        assertThat(all).extracting(m -> m.get("message_type")).containsExactly("system_message", "user_message",
                "assistant_message", "user_message", "assistant_message", "user_message", "user_message");
        Map<String, Object> summary = all.get(5);
        assertThat((String) summary.get("content")).startsWith("{\n  \"type\": \"system_alert\"");
        assertThat(Json.parseObject((String) summary.get("content"))).containsEntry("type", "system_alert");
        assertThat(summary).doesNotContainKey("summary");
        assertThat(withoutFilter).isEqualTo(all);
        assertThat(newestFirst).extracting(m -> m.get("id")).containsExactly(all.get(6).get("id"), all.get(5).get("id"));
    }

    @Test
    void includeReturnMessageTypesKeepsOnlyTheListedKinds() {
        appendTurns(agentId, 4);
        String conversation = (String) http.post("/v1/conversations/?agent_id=" + agentId, null).object().get("id");
        appendTurns(conversation, 2);

        List<Map<String, Object>> assistants = list(agentId, "?order=asc&include_return_message_types=assistant_message");
        List<Map<String, Object>> twoKinds = list(agentId,
                "?order=asc&include_return_message_types=system_message&include_return_message_types=assistant_message");
        List<Map<String, Object>> conversationList = http.get("/v1/conversations/" + conversation
                + "/messages?include_return_message_types=user_message").list();
        HttpJson.Response unknownKind = http.get("/v1/agents/" + agentId + "/messages?include_return_message_types=user_message"
                + "&include_return_message_types=robot_message");

        assertThat(assistants).extracting(m -> m.get("message_type")).containsExactly("assistant_message", "assistant_message");
        assertThat(twoKinds).extracting(m -> m.get("message_type")).containsExactly("system_message", "assistant_message",
                "assistant_message");
        assertThat(conversationList).extracting(m -> m.get("message_type")).containsExactly("user_message");
        assertThat(unknownKind.status()).isEqualTo(422);
        assertThat(unknownKind.detail()).contains("'type': 'enum', 'loc': ('query', 'include_return_message_types', 1)",
                "'input': 'robot_message'");
    }

    @Test
    void conversationIdChoosesOneOfTheAgentsConversationsAndAnyOtherMatchesNothing() {
        String conversation = (String) http.post("/v1/conversations/?agent_id=" + agentId, null).object().get("id");
        appendTurns(conversation, 2);
        String otherAgent = newAgent();
        String othersConversation = (String) http.post("/v1/conversations/?agent_id=" + otherAgent, null).object().get("id");

        List<Map<String, Object>> own = list(agentId, "?order=asc&conversation_id=" + conversation);
        List<Map<String, Object>> others = list(agentId, "?conversation_id=" + othersConversation);
        List<Map<String, Object>> noSuchId = list(agentId, "?conversation_id=conv-x");
        HttpJson.Response unknownAgent = http.get("/v1/agents/agent-00000000-0000-4000-8000-000000000000/messages");

        assertThat(own).extracting(m -> m.get("message_type")).containsExactly("system_message", "user_message", "assistant_message");
        assertThat(others).isEmpty();
        assertThat(noSuchId).isEmpty();
        assertThat(unknownAgent.status()).isEqualTo(404);
    }
}
