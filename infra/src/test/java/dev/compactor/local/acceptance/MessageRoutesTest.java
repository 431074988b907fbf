package dev.compactor.local.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.local.testing.HttpJson;
import dev.compactor.local.testing.LocalApi;
import dev.compactor.support.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Message append and list, compactions list and revert, over real HTTP (API Gateway emulator,
 * the handler, DynamoDB Local). The list must be what Letta's SDK reads: a JSON array of
 * {@code LettaMessage} objects discriminated by {@code message_type}, paged by message-id cursors.
 */
class MessageRoutesTest {
    private final LocalApi api = LocalApi.start();
    private final HttpJson http = api.http;
    private final String agentId = (String) http.post("/v1/agents/", Map.of("model", "local/extractive", "system", "Be brief."))
            .object().get("id");
    private final String conversationId = (String) http.post("/v1/conversations/?agent_id=" + agentId, null).object().get("id");

    @AfterEach
    void stop() {
        api.close();
    }

    private HttpJson.Response append(String conversation, String messagesJson) {
        return http.post("/v1/conversations/" + conversation + "/messages/append", "{\"messages\": " + messagesJson + "}");
    }

    private List<Map<String, Object>> list(String query) {
        HttpJson.Response response = http.get("/v1/conversations/" + conversationId + "/messages" + query);
        assertThat(response.status()).as(String.valueOf(response.json())).isEqualTo(200);
        return response.list();
    }

    private List<String> turns(int n) {
        List<String> messages = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            messages.add(Json.write(Map.of("role", i % 2 == 0 ? "user" : "assistant", "content", "turn " + i)));
        }
        return messages;
    }

    @Test
    void appendsTheIssuesExampleAndListsItAsLettaMessages() {
        HttpJson.Response appended = append(conversationId, """
                [{"role": "user", "content": "What is the answer?"},
                 {"role": "assistant", "content": "Looking it up", "step_id": "step-1",
                  "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "search", "arguments": "{\\"q\\":\\"x\\"}"}}]},
                 {"role": "tool", "tool_call_id": "call_1", "content": "42"},
                 {"role": "approval", "tool_calls": [{"id": "call_2", "type": "function", "function": {"name": "pay", "arguments": "{}"}}],
                  "step_id": "step-2"},
                 {"role": "approval", "approve": false, "approval_request_id": "call_2", "denial_reason": "too expensive"},
                 {"role": "tool", "tool_returns": [{"tool_call_id": "call_2", "status": "error", "func_response": "denied",
                   "stderr": ["no"]}]},
                 {"role": "assistant", "content": [{"type": "reasoning", "is_native": true, "reasoning": "think"},
                   {"type": "text", "text": "The answer is 42."}]}]""");

        assertThat(appended.status()).as(String.valueOf(appended.json())).isEqualTo(200);
        @SuppressWarnings("unchecked")
        List<String> ids = (List<String>) appended.object().get("message_ids");
        assertThat(ids).hasSize(7).allMatch(id -> id.matches("^message-[0-9a-f-]{36}$")).doesNotHaveDuplicates();

        List<Map<String, Object>> messages = list("?order=asc");
        assertThat(messages).extracting(m -> m.get("message_type")).containsExactly("system_message", "user_message",
                "assistant_message", "tool_call_message", "tool_return_message", "approval_request_message",
                "approval_response_message", "tool_return_message", "reasoning_message", "assistant_message");
        assertThat(messages.get(1)).containsEntry("content", "What is the answer?").containsEntry("id", ids.get(0));
        assertThat((String) messages.get(1).get("date")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+00:00");
        assertThat(messages.get(2)).containsEntry("content", "Looking it up").containsEntry("id", ids.get(1))
                .containsEntry("step_id", "step-1");
        Map<String, Object> call = Map.of("name", "search", "arguments", "{\"q\":\"x\"}", "tool_call_id", "call_1");
        assertThat(messages.get(3)).containsEntry("id", ids.get(1)).containsEntry("tool_call", call)
                .containsEntry("tool_calls", List.of(call));
        assertThat(messages.get(4)).containsEntry("tool_return", "42").containsEntry("status", "success")
                .containsEntry("tool_call_id", "call_1");
        assertThat(messages.get(5)).containsEntry("tool_call", Map.of("name", "pay", "arguments", "{}", "tool_call_id", "call_2"));
        assertThat(messages.get(6)).containsEntry("approve", false).containsEntry("approval_request_id", "call_2")
                .containsEntry("reason", "too expensive");
        assertThat(messages.get(7)).containsEntry("tool_return", "denied").containsEntry("status", "error")
                .containsEntry("stderr", List.of("no"));
        assertThat(messages.get(8)).containsEntry("reasoning", "think").containsEntry("source", "reasoner_model");
        assertThat(messages.get(9)).containsEntry("content", "The answer is 42.");
    }

    @Test
    void invalidMessagesAre422AndNothingOfTheBatchIsStored() {
        int before = list("").size();

        HttpJson.Response unknownRole = append(conversationId, "[{\"role\": \"user\", \"content\": \"ok\"}, {\"role\": \"robot\", \"content\": \"x\"}]");
        HttpJson.Response unknownCall = append(conversationId, "[{\"role\": \"user\", \"content\": \"ok\"}, "
                + "{\"role\": \"tool\", \"tool_call_id\": \"call_9\", \"content\": \"42\"}]");
        HttpJson.Response misplacedCalls = append(conversationId, "[{\"role\": \"user\", \"content\": \"hi\", \"tool_calls\": "
                + "[{\"id\": \"c\", \"type\": \"function\", \"function\": {\"name\": \"f\", \"arguments\": \"{}\"}}]}]");
        HttpJson.Response empty = append(conversationId, "[]");
        HttpJson.Response emptyUser = append(conversationId, "[{\"role\": \"user\"}]");

        assertThat(unknownRole.status()).isEqualTo(422);
        assertThat(unknownRole.detail()).contains("'type': 'literal_error', 'loc': ('body', 'messages', 1, 'role')");
        assertThat(unknownCall.status()).isEqualTo(422);
        assertThat(unknownCall.detail()).contains("'loc': ('body', 'messages', 1)", "call_9");
        assertThat(misplacedCalls.detail()).contains("'loc': ('body', 'messages', 0, 'tool_calls')");
        assertThat(empty.detail()).contains("'type': 'too_short'");
        assertThat(emptyUser.detail()).contains("a user message needs content");
        assertThat(list("")).hasSize(before);
    }

    @Test
    void loneSurrogatesAre422AndNothingIsStoredOrAltered() {
        int before = list("").size();

        HttpJson.Response inContent = append(conversationId, "[{\"role\": \"user\", \"content\": \"x \\ud800 y\"}]");
        HttpJson.Response inPart = append(conversationId, "[{\"role\": \"user\", \"content\": \"fine\"}, {\"role\": \"assistant\", "
                + "\"content\": [{\"type\": \"text\", \"text\": \"tail \\udfff\"}]}]");
        HttpJson.Response agent = http.post("/v1/agents/", "{\"model\": \"local/extractive\", \"system\": \"Be \\udbff brief.\"}");
        HttpJson.Response pair = append(conversationId, "[{\"role\": \"user\", \"content\": \"rocket \\ud83d\\ude80 ok\"}]");

        assertThat(inContent.status()).isEqualTo(422);
        assertThat(inContent.detail()).isEqualTo("[{'type': 'string_unicode', 'loc': ('body', 'messages', 0, 'content'), "
                + "'msg': 'Input should be a valid string, unable to parse raw data as a unicode string', 'input': 'x \\ud800 y'}]");
        assertThat(inPart.status()).isEqualTo(422);
        assertThat(inPart.detail()).contains("'loc': ('body', 'messages', 1, 'content', 0, 'text')", "'input': 'tail \\udfff'");
        assertThat(agent.status()).isEqualTo(422);
        assertThat(agent.detail()).contains("'loc': ('body', 'system')");
        assertThat(list("")).hasSize(before + 1);
        assertThat(pair.status()).as("a surrogate pair is a character").isEqualTo(200);
        assertThat(list("?limit=1").get(0)).containsEntry("content", "rocket 🚀 ok");
    }

    @Test
    void aToolResultMayAnswerACallAppendedEarlier() {
        append(conversationId, "[{\"role\": \"assistant\", \"tool_calls\": [{\"id\": \"call_7\", \"type\": \"function\", "
                + "\"function\": {\"name\": \"clock\", \"arguments\": \"{}\"}}]}]");

        assertThat(append(conversationId, "[{\"role\": \"tool\", \"tool_call_id\": \"call_7\", \"content\": \"noon\"}]").status())
                .isEqualTo(200);
        assertThat(append(conversationId, "[{\"role\": \"tool\", \"tool_call_id\": \"call_8\", \"content\": \"noon\"}]").status())
                .isEqualTo(422);
    }

    @Test
    void pagesWithLettasCursorsInBothOrders() {
        append(conversationId, turns(10).toString());
        List<Map<String, Object>> all = list("?order=asc&limit=100");
        List<Object> ids = all.stream().map(m -> m.get("id")).toList();
        assertThat(ids).hasSize(11);

        assertThat(list("?order=asc&limit=3").stream().map(m -> m.get("id"))).containsExactlyElementsOf(ids.subList(0, 3));
        assertThat(list("?order=asc&limit=3&after=" + ids.get(2)).stream().map(m -> m.get("id")))
                .containsExactlyElementsOf(ids.subList(3, 6));
        assertThat(list("?order=asc&limit=3&before=" + ids.get(6)).stream().map(m -> m.get("id")))
                .containsExactlyElementsOf(ids.subList(3, 6));
        assertThat(list("?limit=2").stream().map(m -> m.get("id"))).containsExactly(ids.get(10), ids.get(9));
        assertThat(list("?limit=2&after=" + ids.get(9)).stream().map(m -> m.get("id"))).containsExactly(ids.get(8), ids.get(7));
        assertThat(list("?limit=2&before=" + ids.get(5)).stream().map(m -> m.get("id"))).containsExactly(ids.get(7), ids.get(6));
        assertThat(list("?order=asc&after=" + ids.get(2) + "&before=" + ids.get(5)).stream().map(m -> m.get("id")))
                .containsExactly(ids.get(3), ids.get(4));
        assertThat(list("?order=asc&after=message-00000000-0000-4000-8000-000000000000&limit=1").stream().map(m -> m.get("id")))
                .as("an unknown cursor is ignored, as Letta ignores it").containsExactly(ids.get(0));
    }

    @Test
    void emptyAndUnusableCursorsAreIgnoredNeverA500() {
        append(conversationId, turns(4).toString());
        List<Object> asc = list("?order=asc").stream().map(m -> m.get("id")).toList();
        List<Object> desc = list("").stream().map(m -> m.get("id")).toList();
        String longId = "message-" + "x".repeat(1100);
        String wideId = "%F0%9F%9A%80".repeat(257);
        for (String cursor : List.of("", longId, wideId, "%00%01%FF", "%ED%A0%80", "message-%22%27%5C")) {
            for (String name : List.of("after", "before")) {
                assertThat(list("?order=asc&" + name + "=" + cursor).stream().map(m -> m.get("id")))
                        .as(name + "=" + cursor.substring(0, Math.min(cursor.length(), 20))).containsExactlyElementsOf(asc);
                assertThat(list("?" + name + "=" + cursor).stream().map(m -> m.get("id"))).containsExactlyElementsOf(desc);
            }
        }
        assertThat(list("?order=asc&after=&before=" + asc.get(2)).stream().map(m -> m.get("id")))
                .as("an empty cursor beside a usable one").containsExactlyElementsOf(asc.subList(0, 2));
    }

    @Test
    void pagingForwardWithTheLastIdVisitsEveryMessageOnce() {
        append(conversationId, turns(25).toString());
        List<Object> seen = new ArrayList<>();
        String cursor = "";
        while (true) {
            List<Map<String, Object>> page = list("?limit=4" + cursor);
            if (page.isEmpty()) {
                break;
            }
            page.forEach(m -> seen.add(m.get("id")));
            cursor = "&after=" + page.get(page.size() - 1).get("id");
        }
        assertThat(seen).hasSize(26).doesNotHaveDuplicates();
        assertThat(seen).containsExactlyElementsOf(list("?limit=1000").stream().map(m -> m.get("id")).toList());
    }

    @Test
    void listQueryParametersAreValidated() {
        HttpJson.Response response = http.get("/v1/conversations/" + conversationId + "/messages?limit=0&order=sideways");

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.detail()).contains("'loc': ('query', 'limit')", "'loc': ('query', 'order')");
        assertThat(http.get("/v1/conversations/" + conversationId + "/messages?limit=ten").detail()).contains("'type': 'int_parsing'");
    }

    @Test
    void agentDirectModeListsAndAppendsToTheAgentsDefaultConversation() {
        HttpJson.Response appended = http.post("/v1/conversations/default/messages/append",
                Map.of("agent_id", agentId, "messages", List.of(Map.of("role", "user", "content", "hello"))));

        assertThat(appended.status()).isEqualTo(200);
        assertThat(appended.object()).containsEntry("conversation_id", agentId);
        assertThat(http.get("/v1/conversations/default/messages?agent_id=" + agentId).list())
                .extracting(m -> m.get("message_type")).containsExactly("user_message", "system_message");
        assertThat(http.get("/v1/conversations/" + agentId + "/messages").list()).hasSize(2);
        assertThat(http.get("/v1/conversations/default/messages?agent_id=bob").detail())
                .isEqualTo("INVALID_ARGUMENT: Invalid agent ID format: bob. Expected format: 'agent-<uuid4>'");
        assertThat(http.get("/v1/conversations/default/messages").status()).isEqualTo(404);
    }

    @Test
    void largeMessagesAreStoredCompressedAndWhatCannotFitIs413() {
        String compressible = "The build log repeats itself. ".repeat(20_000);
        StringBuilder noise = new StringBuilder();
        Random random = new Random(7);
        while (noise.length() < 600_000) {
            noise.append(Integer.toString(random.nextInt(Integer.MAX_VALUE), 36));
        }

        HttpJson.Response big = http.post("/v1/conversations/" + conversationId + "/messages/append",
                Map.of("messages", List.of(Map.of("role", "user", "content", compressible))));
        HttpJson.Response tooBig = http.post("/v1/conversations/" + conversationId + "/messages/append",
                Map.of("messages", List.of(Map.of("role", "user", "content", "short"), Map.of("role", "user", "content", noise.toString()))));

        assertThat(compressible.length()).isGreaterThan(400 * 1024);
        assertThat(big.status()).isEqualTo(200);
        assertThat(list("?limit=1").get(0)).containsEntry("content", compressible);
        assertThat(tooBig.status()).isEqualTo(413);
        assertThat(tooBig.detail()).startsWith("Message 1 is ").contains("at most 409600 bytes");
        assertThat(list("")).hasSize(2);
    }

    @Test
    void aCompactionsSummaryIsListedAfterTheMessagesItCoversAndCanBeReverted() {
        append(conversationId, turns(6).toString());
        List<Object> before = list("?order=asc").stream().map(m -> m.get("id")).toList();
        @SuppressWarnings("unchecked")
        List<Object> contextBefore = (List<Object>) http.get("/v1/conversations/" + conversationId).object().get("in_context_message_ids");

        HttpJson.Response compacted = http.post("/v1/conversations/" + conversationId + "/compact",
                Map.of("compaction_settings", Map.of("mode", "all")));
        append(conversationId, turns(1).toString());

        assertThat(compacted.status()).isEqualTo(200);
        List<Map<String, Object>> after = list("?order=asc");
        assertThat(after).extracting(m -> m.get("message_type")).containsExactly("system_message", "user_message",
                "assistant_message", "user_message", "assistant_message", "user_message", "assistant_message", "user_message",
                "user_message");
        assertThat(after.subList(0, 7)).extracting(m -> m.get("id")).containsExactlyElementsOf(before);
        assertThat((String) after.get(7).get("content")).startsWith("{\n  \"type\": \"system_alert\"");

        List<Map<String, Object>> compactions = http.get("/v1/conversations/" + conversationId + "/compactions").list();
        assertThat(compactions).singleElement().satisfies(c -> assertThat(c).containsEntry("generation", 1L)
                .containsEntry("parent_generation", 0L).containsEntry("in_context", true).containsEntry("mode_used", "all")
                .containsEntry("summary_message_id", after.get(7).get("id")).containsEntry("covered_to_seq", 6L)
                .containsEntry("kept_from_seq", 7L));

        HttpJson.Response reverted = http.post("/v1/conversations/" + conversationId + "/compactions/1/revert", null);

        assertThat(reverted.status()).as(String.valueOf(reverted.json())).isEqualTo(200);
        assertThat(reverted.object()).containsEntry("reverted_generation", 1L).containsEntry("generation", 2L)
                .containsEntry("summary_generation", 0L).containsEntry("context_start_seq", 1L);
        @SuppressWarnings("unchecked")
        List<Object> contextAfter = (List<Object>) http.get("/v1/conversations/" + conversationId).object().get("in_context_message_ids");
        assertThat(contextAfter.subList(0, contextBefore.size())).containsExactlyElementsOf(contextBefore);
        assertThat(contextAfter).hasSize(contextBefore.size() + 1).doesNotContain(after.get(7).get("id"));
        assertThat(list("?order=asc")).hasSize(9);
        assertThat(http.get("/v1/conversations/" + conversationId + "/compactions").list().get(0)).containsEntry("in_context", false);
        assertThat(http.post("/v1/conversations/" + conversationId + "/compactions/1/revert", null).status()).isEqualTo(409);
        assertThat(http.post("/v1/conversations/" + conversationId + "/compactions/7/revert", null).status()).isEqualTo(404);
        assertThat(http.post("/v1/conversations/" + conversationId + "/compactions/zero/revert", null).detail())
                .contains("'loc': ('path', 'generation')");
    }
}
