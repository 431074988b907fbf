package dev.compactor.local.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.api.ApiHandler;
import dev.compactor.api.ApiResponse;
import dev.compactor.api.CompactionWorkerHandler;
import dev.compactor.app.Services;
import dev.compactor.batch.BatchWorkerHandler;
import dev.compactor.batch.DueMessage;
import dev.compactor.batch.Outcome;
import dev.compactor.conversation.DueState;
import dev.compactor.events.ConversationEvent;
import dev.compactor.local.runtime.AwsCallRecorder;
import dev.compactor.local.testing.ApiEvents;
import dev.compactor.local.testing.DueFixtures;
import dev.compactor.local.testing.TestDynamo;
import dev.compactor.support.Env;
import dev.compactor.support.Json;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every committed compaction — the synchronous route, an asynchronous job, the batch worker — and
 * every revert publishes one event to the configured bus after its commit, with exactly the
 * expected detail and none of the conversation's text. EventBridge is a local endpoint that
 * answers PutEvents as the service does and records what it was sent.
 */
class ConversationEventsTest {
    private static final String TENANT = "acme";
    private static final String BUS = "compaction-events";
    /** Words that appear in the messages and would in any summary of them. */
    private static final String SECRET = "Zebra-7731";

    private final TestDynamo local = TestDynamo.get();
    private final String table = local.newTable();
    private final AwsCallRecorder aws = new AwsCallRecorder(Map.of());
    private final DueFixtures.Summaries summaries = new DueFixtures.Summaries();

    @AfterEach
    void stop() {
        aws.close();
    }

    @Test
    void compactionsAndRevertsPublishTheirDetailAfterCommitAndNoText() {
        ApiHandler api = new ApiHandler(services("ApiFunction"));
        String agent = id(ok(api, "POST", "/v1/agents", e -> e.body(Map.of("model", "anthropic/claude-haiku-4-5",
                "compaction_settings", Map.of("model", "openai/gpt-4o-mini")))));
        String conversation = id(ok(api, "POST", "/v1/conversations", e -> e.query("agent_id", agent).body(null)));
        appendTurns(api, conversation, 12);

        ok(api, "POST", "/v1/conversations/{conversation_id}/compact", e -> e.param("conversation_id", conversation)
                .body(Map.of("compaction_settings", Map.of("mode", "sliding_window"))));

        Map<String, Object> sync = onlyEvent("ApiFunction", "Compaction Committed");
        assertThat(sync).containsEntry("tenant", TENANT).containsEntry("conversation_id", conversation).containsEntry("agent_id", agent)
                .containsEntry("generation", 1L).containsEntry("trigger", "manual").containsEntry("mode", "sliding_window")
                .containsEntry("model", "openai/gpt-4o-mini").containsEntry("outcome", "committed");
        assertThat(sync.keySet()).containsExactly("tenant", "conversation_id", "agent_id", "generation", "trigger", "mode",
                "messages_before", "messages_after", "tokens_before", "tokens_after", "model", "outcome");
        assertThat(((Number) sync.get("messages_after")).longValue()).isLessThan(((Number) sync.get("messages_before")).longValue());
        assertThat(((Number) sync.get("tokens_after")).longValue()).isLessThan(((Number) sync.get("tokens_before")).longValue());

        ok(api, "POST", "/v1/conversations/{conversation_id}/compactions/{generation}/revert",
                e -> e.param("conversation_id", conversation).param("generation", "1").body(null));

        assertThat(onlyEvent("ApiFunction", "Compaction Reverted")).isEqualTo(Map.of("tenant", TENANT,
                "conversation_id", conversation, "agent_id", agent, "generation", 2L, "reverted_generation", 1L,
                "summary_generation", 0L, "trigger", "manual", "outcome", "reverted"));

        ApiResponse accepted = send(api, "POST", "/v1/conversations/{conversation_id}/compact", e -> e.param("conversation_id", conversation)
                .header("Prefer", "respond-async").body(Map.of("compaction_settings", Map.of("mode", "all"))));
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        CompactionWorkerHandler worker = new CompactionWorkerHandler(services("CompactionWorkerFunction"));
        assertThat(worker.handle(aws.invocations("ApiFunction").get(0), Instant.now().plusSeconds(60)).status()).isEqualTo("succeeded");

        assertThat(onlyEvent("CompactionWorkerFunction", "Compaction Committed")).containsEntry("conversation_id", conversation)
                .containsEntry("generation", 3L).containsEntry("trigger", "manual").containsEntry("mode", "all");

        appendTurns(api, conversation, 40);
        BatchWorkerHandler batch = new BatchWorkerHandler(services("BatchWorkerFunction"));
        String message = new DueMessage(TENANT, conversation, 3, 9_000, DueState.DUE,
                dev.compactor.events.Trigger.DUE).toJson();
        assertThat(batch.process(WorkerBatchTest.event(List.of(WorkerBatchTest.record("m-1", message))), Instant.now().plusSeconds(60)))
                .extracting(p -> p.outcome().kind()).containsExactly(Outcome.Kind.COMPACTED);

        assertThat(onlyEvent("BatchWorkerFunction", "Compaction Committed")).containsEntry("generation", 4L)
                .containsEntry("trigger", "due").containsEntry("agent_id", agent);
        assertThat(aws.putEvents("ApiFunction")).hasSize(2);
        assertThat(aws.bodies()).isNotEmpty().allSatisfy(body -> assertThat(body).doesNotContain(SECRET)
                .doesNotContain("The user reviewed deployment notes"));
        assertThat(summaries.calls.get()).isEqualTo(3);
    }

    @Test
    void everyFinishedPurgePublishesOneConversationPurgedInlineOrFromTheWorker() {
        ApiHandler api = new ApiHandler(services("ApiFunction", Map.of("PURGE_INLINE_MAX_ITEMS", "20")));
        String agent = id(ok(api, "POST", "/v1/agents", e -> e.body(Map.of("model", "anthropic/claude-haiku-4-5",
                "compaction_settings", Map.of("model", "openai/gpt-4o-mini")))));
        String small = id(ok(api, "POST", "/v1/conversations", e -> e.query("agent_id", agent).body(null)));
        String large = id(ok(api, "POST", "/v1/conversations", e -> e.query("agent_id", agent).body(null)));
        appendTurns(api, small, 4);
        appendTurns(api, large, 30);
        ok(api, "POST", "/v1/conversations/{conversation_id}/compact", e -> e.param("conversation_id", large)
                .body(Map.of("compaction_settings", Map.of("mode", "sliding_window"))));

        ok(api, "DELETE", "/v1/conversations/{conversation_id}", e -> e.param("conversation_id", small).query("purge", "true").body(null));

        Map<String, Object> inline = onlyEvent("ApiFunction", "Conversation Purged");
        assertThat(inline).isEqualTo(Map.of("tenant", TENANT, "conversation_id", small, "agent_id", agent, "generation", 0L,
                "items_deleted", receipt(api, small).get("items_deleted"), "trigger", "manual", "outcome", "purged"));

        ApiResponse accepted = send(api, "DELETE", "/v1/conversations/{conversation_id}",
                e -> e.param("conversation_id", large).query("purge", "true").body(null));
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        assertThat(aws.putEvents("ApiFunction")).filteredOn(e -> "Conversation Purged".equals(e.get("DetailType")))
                .as("not before the purge finished").hasSize(1);
        CompactionWorkerHandler worker = new CompactionWorkerHandler(services("CompactionWorkerFunction"));
        String event = aws.invocations("ApiFunction").get(0);
        assertThat(worker.handle(event, Instant.now().plusSeconds(60)).status()).isEqualTo("purged");

        assertThat(onlyEvent("CompactionWorkerFunction", "Conversation Purged")).containsEntry("conversation_id", large)
                .containsEntry("agent_id", agent).containsEntry("generation", 1L)
                .containsEntry("items_deleted", receipt(api, large).get("items_deleted"));
        // A redelivery of the worker's event and a client's retry of the DELETE find the purge finished: no second event.
        assertThat(worker.handle(event, Instant.now().plusSeconds(60)).status()).isEqualTo("purged");
        ok(api, "DELETE", "/v1/conversations/{conversation_id}", e -> e.param("conversation_id", small).query("purge", "true").body(null));
        onlyEvent("CompactionWorkerFunction", "Conversation Purged");
        onlyEvent("ApiFunction", "Conversation Purged");
        assertThat(aws.bodies()).allSatisfy(body -> assertThat(body).doesNotContain(SECRET));
    }

    @Test
    void anAgentPurgePublishesConversationPurgedForEachOfItsConversationsOnce() {
        ApiHandler api = new ApiHandler(services("ApiFunction"));
        String agent = id(ok(api, "POST", "/v1/agents", e -> e.body(Map.of("model", "anthropic/claude-haiku-4-5"))));
        String conversation = id(ok(api, "POST", "/v1/conversations", e -> e.query("agent_id", agent).body(null)));
        appendTurns(api, conversation, 4);

        ok(api, "DELETE", "/v1/agents/{agent_id}", e -> e.param("agent_id", agent).query("purge", "true").body(null));
        ok(api, "DELETE", "/v1/agents/{agent_id}", e -> e.param("agent_id", agent).query("purge", "true").body(null));

        List<Map<String, Object>> purged = aws.putEvents("ApiFunction").stream()
                .filter(e -> "Conversation Purged".equals(e.get("DetailType"))).map(e -> Json.parseObject((String) e.get("Detail"))).toList();
        assertThat(purged).extracting(d -> d.get("conversation_id")).containsExactlyInAnyOrder(agent, conversation);
        assertThat(purged).allSatisfy(d -> assertThat(d).containsEntry("agent_id", agent).containsEntry("outcome", "purged"));
    }

    private static Map<String, Object> receipt(ApiHandler api, String conversation) {
        return Json.parseObject(ok(api, "GET", "/v1/conversations/{conversation_id}/purge",
                e -> e.param("conversation_id", conversation).body(null)).body());
    }

    /** The one event of {@code type} the function published; its detail, parsed. */
    private Map<String, Object> onlyEvent(String function, String type) {
        List<Map<String, Object>> entries = aws.putEvents(function).stream().filter(e -> type.equals(e.get("DetailType"))).toList();
        assertThat(entries).hasSize(1);
        Map<String, Object> entry = entries.get(0);
        assertThat(entry).containsEntry("Source", ConversationEvent.SOURCE).containsEntry("EventBusName", BUS);
        return Json.parseObject((String) entry.get("Detail"));
    }

    private void appendTurns(ApiHandler api, String conversation, int turns) {
        ok(api, "POST", "/v1/conversations/{conversation_id}/messages/append", e -> e.param("conversation_id", conversation)
                .body(Map.of("messages", IntStream.range(0, turns).<Map<String, Object>>mapToObj(i -> Map.of("role",
                        i % 2 == 0 ? "user" : "assistant", "content", "Step " + i + " of the " + SECRET + " migration: "
                                + "the schema moves to the new cluster. ".repeat(40))).toList())));
    }

    /** The function's services with the bus set, EventBridge and Lambda at the recorder, signing as {@code function}. */
    private Services services(String function) {
        return services(function, Map.of());
    }

    /** The same, with {@code extra} laid over the environment. */
    private Services services(String function, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(local.host(table).environment(local.template.function(function)));
        env.putAll(extra);
        env.put("EVENT_BUS_NAME", BUS);
        env.put("AWS_ENDPOINT_URL_EVENTBRIDGE", aws.endpoint().toString());
        env.put("AWS_ENDPOINT_URL_LAMBDA", aws.endpoint().toString());
        env.put("AWS_ACCESS_KEY_ID", function);
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("DEFAULT_TENANT", TENANT);
        return local.services(new Env(env), summaries, new software.amazon.awssdk.core.interceptor.ExecutionInterceptor() { });
    }

    private static ApiResponse send(ApiHandler api, String method, String resource, Function<ApiEvents, String> request) {
        return api.handle(request.apply(ApiEvents.of(TENANT, method, resource)), null, Instant.now().plusSeconds(20));
    }

    private static ApiResponse ok(ApiHandler api, String method, String resource, Function<ApiEvents, String> request) {
        ApiResponse response = send(api, method, resource, request);
        assertThat(response.status()).as(method + " " + resource + ": " + response.body()).isEqualTo(200);
        return response;
    }

    private static String id(ApiResponse response) {
        return (String) Json.parseObject(response.body()).get("id");
    }
}
