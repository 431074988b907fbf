package dev.compactor.local.acceptance;

import static dev.compactor.local.providers.ScriptedServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.llm.http.ChatCompletionsCall;
import dev.compactor.local.providers.ScriptedServer;
import dev.compactor.local.testing.HttpJson;
import dev.compactor.support.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's agent loop, run as a user runs it: {@code start-api} from the packaged jar (its due
 * stream on, as by default, and no schedule: nothing runs discovery), driven over HTTP. Appends
 * until the append answer says {@code due}; the stream-triggered compaction commits on its own;
 * the context read as {@code openai} is bound to the OpenAI adapter's own request records and
 * sent by its transport to a local Chat Completions server, which receives exactly those messages.
 */
class AgentLoopIT {
    private static final String OPENAI_ANSWER = """
            {"id":"chatcmpl-1","object":"chat.completion","created":1767225600,"model":"gpt-4o-mini",
             "choices":[{"index":0,"message":{"role":"assistant","content":"Build 4411 is on staging."},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":900,"completion_tokens":8,"total_tokens":908}}""";
    private static final int CONTEXT_WINDOW = 2_000;

    @TempDir
    Path data;

    @Test
    @SuppressWarnings("unchecked")
    void appendUntilDueIsCompactedByTheStreamAndTheOpenAiContextIsWhatTheAdapterSends() throws Exception {
        LocalJarIT.Running api = LocalJarIT.start(LocalJarIT.JAVA, "start-api", "--data", data.toString(), "--port", "0");
        try (ScriptedServer model = new ScriptedServer()) {
            Matcher listening = LocalJarIT.LISTENING.matcher(api.nextLine(60));
            assertThat(listening.matches()).isTrue();
            HttpJson http = new HttpJson(Integer.parseInt(listening.group(1)));
            HttpJson.Response agent = http.post("/v1/agents", Map.of("model", "local/extractive", "context_window_limit", CONTEXT_WINDOW,
                    "system", "You are a deployment assistant."));
            assertThat(agent.status()).as(agent.raw().body()).isEqualTo(200);
            HttpJson.Response created = http.post("/v1/conversations?agent_id=" + agent.object().get("id"), Map.of());
            assertThat(created.status()).as(created.raw().body()).isEqualTo(200);
            String conversation = "/v1/conversations/" + created.object().get("id");

            // 1. Append turns (each a tool exchange) until the answer says the context is due.
            List<Map<String, Object>> answers = new ArrayList<>();
            for (int round = 1; answers.isEmpty() || !Boolean.TRUE.equals(answers.getLast().get("due")); round++) {
                assertThat(round).as("due within 60 rounds; answers: %s", answers).isLessThanOrEqualTo(60);
                HttpJson.Response appended = http.post(conversation + "/messages/append", Map.of("messages", turn(round)));
                assertThat(appended.status()).as(appended.raw().body()).isEqualTo(200);
                answers.add(appended.object());
            }
            assertThat(answers).hasSizeGreaterThan(1);
            assertThat(answers.getFirst()).containsEntry("due", false);
            assertThat(((Number) answers.getFirst().get("context_window")).intValue()).isEqualTo(CONTEXT_WINDOW);
            Map<String, Object> crossing = answers.getLast();
            assertThat(((Number) crossing.get("context_token_estimate")).longValue())
                    .isGreaterThanOrEqualTo(((Number) crossing.get("due_threshold")).longValue());

            // 2. The due stream compacts it: the generation moves on without anyone asking.
            awaitGeneration(http, conversation, 1);

            // 3. The context in OpenAI's shape, with its ETag.
            HttpJson.Response context = http.get(conversation + "/context?format=openai");
            assertThat(context.status()).as(context.raw().body()).isEqualTo(200);
            assertThat(context.object()).containsEntry("format", "openai").containsEntry("due", false);
            assertThat(((Number) context.object().get("generation")).intValue()).isEqualTo(1);
            assertThat(context.raw().headers().firstValue("ETag")).isPresent();
            List<Object> messages = (List<Object>) ((Map<String, Object>) context.object().get("request")).get("messages");
            assertThat(messages).as("compacted: fewer than the system message and the %d appended", 4 * answers.size())
                    .hasSizeLessThan(1 + 4 * answers.size());
            assertOpenAiOrder((List<Map<String, Object>>) (List<?>) messages);

            // 4. The model call, with the adapter's own request model and transport.
            model.then(json(200, OPENAI_ANSWER));
            String reply = ChatCompletionsCall.send(java.net.URI.create(model.uri() + "/v1"), "sk-test", "gpt-4o-mini",
                    ChatCompletionsCall.messages(Json.write(messages)));

            ScriptedServer.Recorded sent = model.only();
            assertThat(sent.path()).isEqualTo("/v1/chat/completions");
            assertThat(sent.header("authorization")).isEqualTo("Bearer sk-test");
            assertThat(sent.json()).containsEntry("model", "gpt-4o-mini");
            assertThat(sent.json().get("messages")).as("exactly the route's messages").isEqualTo(messages);
            assertThat(reply).isEqualTo("Build 4411 is on staging.");
        } finally {
            LocalJarIT.signal(api, "TERM");
            assertThat(api.exit(30)).as("exit status on SIGTERM; stderr:%n%s", api.stderr()).isZero();
        }
    }

    /** A user asking, the assistant calling a tool, its result, and the answer: about 150 tokens. */
    private static List<Map<String, Object>> turn(int round) {
        String call = "call_" + round;
        return List.of(
                Map.of("role", "user", "content", "Round " + round + ": ship build " + (4400 + round)
                        + " to staging, then report the health checks of api, worker and scheduler in full."),
                Map.of("role", "assistant", "content", "Deploying build " + (4400 + round) + ".", "tool_calls", List.of(Map.of("id", call,
                        "type", "function", "function", Map.of("name", "deploy", "arguments",
                                "{\"build\":" + (4400 + round) + ",\"env\":\"staging\"}")))),
                Map.of("role", "tool", "tool_call_id", call, "content", "build " + (4400 + round)
                        + " live on staging; api healthy (p99 120 ms), worker healthy (queue depth 3), scheduler healthy (next run 12:00)"),
                Map.of("role", "assistant", "content", "Build " + (4400 + round) + " is live on staging and every health check passes."));
    }

    /**
     * Polls the conversation (its state, not a clock) until its {@code compaction_generation}
     * reaches {@code generation}; fails after a minute.
     */
    private static void awaitGeneration(HttpJson http, String conversation, int generation) {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
        while (true) {
            HttpJson.Response head = http.get(conversation);
            assertThat(head.status()).isEqualTo(200);
            if (((Number) head.object().get("compaction_generation")).intValue() >= generation) {
                return;
            }
            assertThat(Instant.now()).as("compacted by the due stream within a minute").isBefore(deadline);
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }

    /** OpenAI's rules for {@code messages}: the system message first, each tool message answering a call made before it. */
    @SuppressWarnings("unchecked")
    private static void assertOpenAiOrder(List<Map<String, Object>> messages) {
        assertThat(messages.getFirst()).containsEntry("role", "system");
        Set<Object> called = new HashSet<>();
        for (Map<String, Object> m : messages) {
            if (m.get("tool_calls") instanceof List<?> calls) {
                calls.forEach(c -> called.add(((Map<String, Object>) c).get("id")));
            }
            if ("tool".equals(m.get("role"))) {
                assertThat(called).as("a tool message answers an earlier call").contains(m.get("tool_call_id"));
            }
        }
    }
}
