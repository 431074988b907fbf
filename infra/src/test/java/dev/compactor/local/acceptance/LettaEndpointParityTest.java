package dev.compactor.local.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.compactor.app.Services;
import dev.compactor.compaction.CompactionService;
import dev.compactor.compaction.NothingToCompactException;
import dev.compactor.conversation.Agent;
import dev.compactor.conversation.ConversationStore;
import dev.compactor.conversation.Ids;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.Role;
import dev.compactor.conversation.Snapshot;
import dev.compactor.llm.SummaryRequest;
import dev.compactor.llm.SummaryResult;
import dev.compactor.llm.TokenUsage;
import dev.compactor.local.emulator.ApiGatewayEmulator;
import dev.compactor.local.runtime.FunctionHost;
import dev.compactor.local.testing.HttpJson;
import dev.compactor.local.testing.LocalApi;
import dev.compactor.local.testing.TestDynamo;
import dev.compactor.support.Json;
import dev.compactor.support.JsonMapper;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Letta's endpoint cases (reference §9, 32–38) over HTTP through the API Gateway emulator and
 * DynamoDB Local, with our additions: the dry run, quality gates in the response and in the stored
 * summary, and hostile bodies. Conversations are seeded through {@link ConversationStore} (the
 * message routes are another issue's). Over HTTP the summarizer is the offline extractive one
 * ({@code local/extractive}, deterministic); where the model's answer matters, the service is
 * driven directly with a scripted summarizer.
 */
class LettaEndpointParityTest {
    private static final String TENANT = "local";
    private static final String EXTRACTIVE = "local/extractive";
    private final TestDynamo local = TestDynamo.get();
    private final LocalApi api = LocalApi.start();
    private final String table = api.table;
    private final ConversationStore store = local.services(table).store();

    @AfterEach
    void stop() {
        api.close();
    }

    private HttpResponse<String> post(String path, String body) {
        return api.http.post(path, body).raw();
    }

    private Agent agent() {
        return store.createAgent(TENANT, new Agent(Ids.newAgentId(), "parity", EXTRACTIVE, 128_000, "You are a helpful agent.",
                "UTC", null, Instant.now()));
    }

    /** A conversation of the agent with {@code turns} answered user turns. */
    private String conversation(Agent agent, int turns, String userText) {
        String id = Ids.newConversationId();
        store.createConversation(TENANT, agent, id);
        append(id, turns, userText);
        return id;
    }

    private void append(String conversationId, int turns, String userText) {
        List<Message> messages = new ArrayList<>();
        for (int i = 1; i <= turns; i++) {
            messages.add(Message.text(Role.USER, userText.replace("{i}", String.valueOf(i))));
            messages.add(Message.text(Role.ASSISTANT, "Noted: " + userText.replace("{i}", String.valueOf(i)) + ". Anything else?"));
        }
        for (int from = 0; from < messages.size(); from += 90) {
            store.append(TENANT, conversationId, messages.subList(from, Math.min(messages.size(), from + 90)));
        }
    }

    private static Map<String, Object> json(HttpResponse<String> response) {
        return Json.parseObject(response.body());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> compaction(HttpResponse<String> response) {
        return (Map<String, Object>) json(response).get("compaction");
    }

    private static long before(HttpResponse<String> r) {
        return (Long) json(r).get("num_messages_before");
    }

    private static long after(HttpResponse<String> r) {
        return (Long) json(r).get("num_messages_after");
    }

    // 32. Five answered user turns, body {}: 200, a non-empty summary, fewer messages; Letta's three
    // fields come first, ours under `compaction`.
    @Test
    void case32_defaultCompactionOfFiveTurns() throws Exception {
        String id = conversation(agent(), 5, "Tell me about topic {i}");

        HttpResponse<String> r = post("/v1/conversations/" + id + "/compact", "{}");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat((String) json(r).get("summary")).isNotBlank();
        assertThat(before(r)).isEqualTo(11).isGreaterThan(after(r));
        assertThat(new ArrayList<>(json(r).keySet())).containsExactly("summary", "num_messages_before", "num_messages_after",
                "compaction");
        assertThat(compaction(r)).containsEntry("mode_used", "sliding_window");
    }

    // 33. Mode `all`: 200, before > after (11 → 2).
    @Test
    void case33_allMode() throws Exception {
        String id = conversation(agent(), 5, "Tell me about topic {i}");

        HttpResponse<String> r = post("/v1/conversations/" + id + "/compact", "{\"compaction_settings\":{\"mode\":\"all\"}}");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat((String) json(r).get("summary")).isNotBlank();
        assertThat(after(r)).isEqualTo(2);
        assertThat(store.snapshot(TENANT, id).inContext()).extracting(Message::role).containsExactly(Role.SYSTEM, Role.SUMMARY);
    }

    // 34. "Remember fact i" × 5 in mode `all`.
    @Test
    void case34_rememberFacts() throws Exception {
        String id = conversation(agent(), 5, "Remember fact {i}: the code is 90{i}1");

        HttpResponse<String> r = post("/v1/conversations/" + id + "/compact", "{\"compaction_settings\":{\"mode\":\"all\"}}");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(before(r)).isGreaterThan(after(r));
    }

    // 35. Two conversations of one agent: compacting one leaves the other's context unchanged.
    @Test
    void case35_otherConversationsOfTheAgentAreUntouched() throws Exception {
        Agent agent = agent();
        String first = conversation(agent, 5, "First conversation, turn {i}");
        String second = conversation(agent, 5, "Second conversation, turn {i}");
        List<String> secondBefore = store.snapshot(TENANT, second).inContext().stream().map(Message::id).toList();

        HttpResponse<String> r = post("/v1/conversations/" + first + "/compact", "{}");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(before(r)).isGreaterThan(after(r));
        assertThat(store.snapshot(TENANT, second).inContext().stream().map(Message::id).toList()).isEqualTo(secondBefore);
    }

    // 36. A new conversation (only its system message): Letta's 400, in every mode and in a dry run.
    @Test
    void case36_newConversationIs400() throws Exception {
        String id = conversation(agent(), 0, "");

        for (String body : List.of("{}", "{\"compaction_settings\":{\"mode\":\"all\"}}",
                "{\"compaction_settings\":{\"mode\":\"self_compact_all\"}}")) {
            HttpResponse<String> r = post("/v1/conversations/" + id + "/compact", body);
            assertThat(r.statusCode()).as(body).isEqualTo(400);
            assertThat(json(r)).containsEntry("detail", NothingToCompactException.LETTA_MESSAGE);
        }
        assertThat(post("/v1/conversations/" + id + "/compact?dry_run=true", "{}").statusCode()).isEqualTo(400);
    }

    // 37. The all-zero id fails Letta's pattern: 422.
    @Test
    void case37_nonUuid4IdIs422() throws Exception {
        HttpResponse<String> r = post("/v1/conversations/conv-00000000-0000-0000-0000-000000000000/compact", "{}");

        assertThat(r.statusCode()).isEqualTo(422);
        assertThat((String) json(r).get("detail")).contains("string_pattern_mismatch");
    }

    // 38. Agent-direct: ten messages in the agent's default conversation, then default + agent_id.
    @Test
    void case38_agentDirectCompaction() throws Exception {
        Agent agent = agent();
        append(agent.id(), 5, "Message {i} to the agent");

        HttpResponse<String> r = post("/v1/conversations/default/compact", "{\"agent_id\":\"" + agent.id() + "\"}");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r)).containsKeys("summary", "num_messages_before", "num_messages_after");
        assertThat(before(r)).isEqualTo(11).isGreaterThan(after(r));
    }

    @Test
    void dryRunReturnsThePlanAndWritesNothing() throws Exception {
        String id = conversation(agent(), 10, "Question {i}");
        Snapshot before = store.snapshot(TENANT, id);

        HttpResponse<String> r = post("/v1/conversations/" + id + "/compact?dry_run=true", "{}");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r)).containsEntry("summary", "").containsEntry("num_messages_before", 21L)
                .containsEntry("num_messages_after", 15L);
        Map<String, Object> plan = compaction(r);
        assertThat(plan).containsEntry("dry_run", true).containsEntry("mode", "sliding_window").containsEntry("model", EXTRACTIVE)
                .containsEntry("conversation_id", id).containsEntry("summarize_count", 7L).containsEntry("keep_count", 13L)
                .containsEntry("generation", 0L);
        assertThat(plan.get("summarize_ids")).isEqualTo(before.inContext().subList(1, 8).stream().map(Message::id).toList());
        Snapshot after = store.snapshot(TENANT, id);
        assertThat(after.head()).isEqualTo(before.head());
        assertThat(after.inContext()).isEqualTo(before.inContext());

        assertThat(post("/v1/conversations/" + id + "/compact?dry_run=false", "{}").statusCode()).isEqualTo(200);
        assertThat(store.snapshot(TENANT, id).head().compactionGen()).isEqualTo(1);
    }

    @Test
    void dryRunStillValidates() throws Exception {
        String id = conversation(agent(), 3, "Question {i}");

        HttpResponse<String> badFlag = post("/v1/conversations/" + id + "/compact?dry_run=maybe", "{}");
        HttpResponse<String> badSettings = post("/v1/conversations/" + id + "/compact?dry_run=true",
                "{\"compaction_settings\":{\"sliding_window_percentage\":1.5}}");

        assertThat(badFlag.statusCode()).isEqualTo(422);
        assertThat((String) json(badFlag).get("detail")).contains("'loc': ('query', 'dry_run')");
        assertThat(badSettings.statusCode()).isEqualTo(422);
        assertThat(post("/v1/conversations/" + Ids.newConversationId() + "/compact?dry_run=true", "{}").statusCode()).isEqualTo(404);
    }

    @Test
    void gateResultsAreInTheResponseAndKeptWithTheSummary() throws Exception {
        String id = conversation(agent(), 10, "Check build 20{i}5 at https://ci.example.com/b/20{i}5");

        HttpResponse<String> r = post("/v1/conversations/" + id + "/compact", "{\"compaction_settings\":{\"mode\":\"all\"}}");

        assertThat(r.statusCode()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        Map<String, Object> gates = (Map<String, Object>) compaction(r).get("gates");
        assertThat(gates).containsEntry("passed", true)
                .containsKeys("non_empty", "not_truncated", "shorter", "identifier_retention", "tool_integrity");
        Map<String, Object> stored = plain(store.snapshot(TENANT, id).summaryRecord().details());
        assertThat(stored).containsKey("gates");
        assertThat(Json.write(stored.get("gates"))).isEqualTo(Json.write(gates));
    }

    @Test
    void anEnforcedGateRejectsTheSummaryWith502AndWritesNothing() throws Exception {
        // More identifiers than a summary clipped to 500 characters can carry.
        String id = conversation(agent(), 100, "Close OPS-{i}1, OPS-{i}2, OPS-{i}3, OPS-{i}4 and OPS-{i}5 in /srv/ops/{i}/log.txt");
        Snapshot before = store.snapshot(TENANT, id);
        ApiGatewayEmulator strict = new ApiGatewayEmulator(new FunctionHost(local.template, table, local.dynamo.endpoint(),
                Map.of("QUALITY_MIN_IDENTIFIER_RETENTION", "1")), "127.0.0.1", 0);
        strict.start();
        try {
            HttpResponse<String> r = new HttpJson(strict.port())
                    .post("/v1/conversations/" + id + "/compact", "{\"compaction_settings\":{\"mode\":\"all\",\"clip_chars\":500}}").raw();

            assertThat(r.statusCode()).as(r.body()).isEqualTo(502);
            assertThat((String) json(r).get("detail")).contains("identifier_retention");
            assertThat(json(r)).containsKey("gates");
        } finally {
            strict.close();
        }
        assertThat(store.snapshot(TENANT, id).head()).isEqualTo(before.head());
    }

    @Test
    void hostileBodiesAre422NeverA500() throws Exception {
        String id = conversation(agent(), 3, "Question {i}");
        String deep = "[".repeat(5000) + "]".repeat(5000);
        List<String> bodies = List.of(
                "{\"compaction_settings\":{\"sliding_window_percentage\":NaN}}",
                "{\"compaction_settings\":{\"sliding_window_percentage\":1e999}}",
                "{\"compaction_settings\":{\"sliding_window_percentage\":\"-Infinity\"}}",
                "{\"compaction_settings\":{\"clip_chars\":123456789012345678901234567890}}",
                "{\"compaction_settings\":{\"clip_chars\":-1}}",
                "{\"compaction_settings\":{\"mode\":{\"nested\":[1,2,3]}}}",
                "{\"compaction_settings\":{\"model_settings\":{\"provider_type\":5}}}",
                "{\"compaction_settings\":{\"model_settings\":{\"provider_type\":\"acme\"}}}",
                "{\"compaction_settings\":{\"model_settings\":[]}}",
                "{\"compaction_settings\":{\"model\":\"nope\"}}",
                "{\"compaction_settings\":\"all\"}",
                "{\"compaction_settings\":" + deep + "}",
                "[1,2]",
                "\"just a string\"");
        for (String body : bodies) {
            HttpResponse<String> r = post("/v1/conversations/" + id + "/compact", body);
            assertThat(r.statusCode()).as(body.length() > 80 ? body.substring(0, 80) : body).isEqualTo(422);
        }
        assertThat(store.snapshot(TENANT, id).head().compactionGen()).isZero();
    }

    @Test
    void theStoredSummaryRecordsTheModelsAnswerAndTheGates() {
        List<SummaryRequest> requests = new ArrayList<>();
        Services services = local.services(table, handle -> request -> {
            requests.add(request);
            return new SummaryResult("  I answered ten questions about topics 1 to 10.  ", SummaryResult.LLM, handle,
                    TokenUsage.NONE, 3);
        });
        String id = conversation(agent(), 10, "Question {i}");

        CompactionService.Result result = services.compaction().compact(TENANT, CompactionService.Target.conversation(id),
                null, "manual", Instant.now().plusSeconds(30));

        assertThat(requests).hasSize(1);
        assertThat(result.summary()).isEqualTo("I answered ten questions about topics 1 to 10.");
        Snapshot after = services.store().snapshot(TENANT, id);
        assertThat(after.inContext()).hasSize(result.numMessagesAfter()).element(1).extracting(Message::role).isEqualTo(Role.SUMMARY);
        assertThat(after.summaryRecord().summary()).isEqualTo(result.summary());
        assertThat(plain(after.summaryRecord().details())).containsKeys("gates", "mode_used", "token_counter", "fallbacks");
    }

    @Test
    void theServiceDryRunCallsNoModel() {
        List<SummaryRequest> requests = new ArrayList<>();
        Services services = local.services(table, handle -> request -> {
            requests.add(request);
            throw new AssertionError("no model call in a dry run");
        });
        String id = conversation(agent(), 10, "Question {i}");

        CompactionService.Result plan = services.compaction().dryRun(TENANT, CompactionService.Target.conversation(id),
                null, "manual", Instant.now().plusSeconds(30));

        assertThat(requests).isEmpty();
        assertThat(plan.numMessagesAfter()).isEqualTo(15);
        assertThat(plain(plan.compaction())).containsEntry("dry_run", true);
    }

    /** A typed document as the JSON object it is written as. */
    private static Map<String, Object> plain(Object document) {
        return JsonMapper.MAPPER.convertValue(document, new TypeReference<Map<String, Object>>() {});
    }
}
