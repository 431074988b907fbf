package dev.compactor.local.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.api.ApiHandler;
import dev.compactor.api.ApiResponse;
import dev.compactor.conversation.Agent;
import dev.compactor.conversation.ConversationHead;
import dev.compactor.conversation.ConversationStore;
import dev.compactor.conversation.Ids;
import dev.compactor.llm.SummaryResult;
import dev.compactor.llm.TokenUsage;
import dev.compactor.local.testing.ApiEvents;
import dev.compactor.local.testing.TestDynamo;
import dev.compactor.support.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Containers that keep what they read of a context answer exactly as one that never read it, with
 * or without a (stale) {@code If-None-Match}, whatever happened in between: appends, compactions of either mode and reverts, each made by
 * one of the containers or by another, in a random order (seeded, so a failure replays).
 */
class WarmContextEquivalenceTest {
    private static final String TENANT = "acme";
    private static final int STEPS = 30;

    private final TestDynamo local = TestDynamo.get();
    private final String table = local.newTable();
    private final List<ApiHandler> containers = List.of(container(), container(), container());
    private final String conversationId = Ids.newConversationId();

    private ApiHandler container() {
        return new ApiHandler(local.services(table, handle -> request -> new SummaryResult(
                "Summary of " + request.messages().size() + " messages.", SummaryResult.LLM, handle, TokenUsage.NONE, 1)));
    }

    private static ApiResponse call(ApiHandler api, String event) {
        return api.handle(event, null, Instant.now().plusSeconds(20));
    }

    private ApiEvents route(String method, String resource) {
        return ApiEvents.of(TENANT, method, resource).param("conversation_id", conversationId);
    }

    /** @param staleTag sends an {@code If-None-Match} that matches nothing, so the route reads the head first */
    private Map<String, Object> context(ApiHandler api, String format, boolean staleTag) {
        ApiEvents event = route("GET", "/v1/conversations/{conversation_id}/context").query("format", format);
        if (staleTag) {
            event.header("If-None-Match", "\"0.0.0.0\"");
        }
        ApiResponse response = call(api, event.body(null));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        Map<String, Object> answer = Json.parseObject(response.body());
        answer.put("etag", response.headers().get("ETag"));
        return answer;
    }

    private static List<Map<String, Object>> turn(int round, Random random) {
        List<Map<String, Object>> messages = new ArrayList<>();
        messages.add(Map.of("role", "user", "content", "Question " + round + ": what is the state of build " + (4000 + round) + "?"));
        if (random.nextBoolean()) {
            String call = "call_" + round;
            messages.add(Map.of("role", "assistant", "content", "Checking.", "tool_calls", List.of(Map.of("id", call, "type", "function",
                    "function", Map.of("name", "build_status", "arguments", "{\"build\":" + (4000 + round) + "}")))));
            messages.add(Map.of("role", "tool", "tool_call_id", call, "content", "{\"status\":\"green\"}"));
        }
        messages.add(Map.of("role", "assistant", "content", "Build " + (4000 + round) + " is green (round " + round + ")."));
        return messages;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void everyReadOfAContainerThatKeptWhatItReadEqualsAColdRead(long seed) {
        Random random = new Random(seed);
        ConversationStore store = local.services(table).store();
        Agent agent = store.createAgent(TENANT, new Agent(Ids.newAgentId(), "warm", "local/extractive", 100_000, "You are terse.",
                "UTC", null, Instant.now()));
        store.createConversation(TENANT, agent, conversationId);
        int round = 0;
        for (int step = 0; step < STEPS; step++) {
            ApiHandler actor = random.nextInt(4) == 0 ? container() : containers.get(random.nextInt(containers.size()));
            int op = random.nextInt(10);
            if (op < 5 || round < 3) {
                ApiResponse appended = call(actor, route("POST", "/v1/conversations/{conversation_id}/messages/append")
                        .body(Map.of("messages", turn(++round, random))));
                assertThat(appended.status()).as(appended.body()).isEqualTo(200);
            } else if (op < 8) {
                String mode = random.nextBoolean() ? "sliding_window" : "all";
                ApiResponse compacted = call(actor, route("POST", "/v1/conversations/{conversation_id}/compact")
                        .body(Map.of("compaction_settings", Map.of("mode", mode))));
                assertThat(compacted.status()).as(compacted.body()).isIn(200, 400);
            } else {
                ConversationHead head = store.findConversation(TENANT, conversationId).orElseThrow();
                if (head.summaryGen() > 0) {
                    ApiResponse reverted = call(actor, route("POST", "/v1/conversations/{conversation_id}/compactions/{generation}/revert")
                            .param("generation", Long.toString(head.summaryGen())).body(null));
                    assertThat(reverted.status()).as(reverted.body()).isIn(200, 409);
                }
            }
            String format = List.of("letta", "openai", "anthropic").get(random.nextInt(3));
            Map<String, Object> cold = context(container(), format, false);
            for (ApiHandler container : containers) {
                if (random.nextInt(3) > 0) {
                    assertThat(context(container, format, random.nextBoolean())).as("seed %d, step %d", seed, step).isEqualTo(cold);
                }
            }
        }
    }
}
