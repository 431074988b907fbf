package dev.compactor.local.acceptance;

import static dev.compactor.local.providers.ScriptedServer.json;
import static dev.compactor.local.providers.ScriptedServer.sse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.api.ApiHandler;
import dev.compactor.api.ApiResponse;
import dev.compactor.app.Services;
import dev.compactor.conversation.Agent;
import dev.compactor.conversation.Ids;
import dev.compactor.local.providers.ScriptedServer;
import dev.compactor.local.testing.ApiEvents;
import dev.compactor.local.testing.TestDynamo;
import dev.compactor.support.Env;
import dev.compactor.support.Json;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * The {@code openai}, {@code anthropic}, {@code gemini} and {@code bedrock} contexts are what the adapters themselves send (Converse's
 * through the AWS SDK's own request model and marshaller): a
 * self-compaction of the same stored conversation, through the real adapter to a local server
 * speaking the vendor's protocol, opens its request with exactly the route's context.
 */
class ContextThroughAdapterTest {
    private static final String TENANT = "acme";
    private static final String GEMINI_ANSWER = """
            {"candidates":[{"content":{"role":"model","parts":[{"text":"The user checked the weather in Paris twice."}]},
               "finishReason":"STOP","index":0}],
             "usageMetadata":{"promptTokenCount":900,"candidatesTokenCount":12,"totalTokenCount":912},"modelVersion":"gemini-2.5-flash"}""";
    private static final String BEDROCK_ANSWER = """
            {"output":{"message":{"role":"assistant","content":[{"text":"The user checked the weather in Paris twice."}]}},
             "stopReason":"end_turn","usage":{"inputTokens":900,"outputTokens":12,"totalTokens":912},"metrics":{"latencyMs":300}}""";
    private static final String[] ANTHROPIC_STREAM = {
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_01\",\"type\":\"message\",\"role\":\"assistant\","
                + "\"model\":\"claude-sonnet-4-5\",\"content\":[],\"stop_reason\":null,\"usage\":{\"input_tokens\":900,\"output_tokens\":1}}}",
        "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\","
                + "\"text\":\"The user checked the weather in Paris twice.\"}}",
        "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}",
        "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
                + "\"usage\":{\"output_tokens\":12}}",
        "event: message_stop\ndata: {\"type\":\"message_stop\"}"};
    private static final String OPENAI_ANSWER = """
            {"id":"chatcmpl-1","object":"chat.completion","created":1767225600,"model":"gpt-4.1",
             "choices":[{"index":0,"message":{"role":"assistant","content":"The user checked the weather in Paris twice."},
               "finish_reason":"stop"}],
             "usage":{"prompt_tokens":900,"completion_tokens":12,"total_tokens":912}}""";

    private final ScriptedServer server = new ScriptedServer();
    private final TestDynamo local = TestDynamo.get();
    private final String table = local.newTable();
    private final String conversationId = Ids.newConversationId();
    private ApiHandler handler;

    ContextThroughAdapterTest() throws IOException {}

    /** The API with the vendor's endpoint at the local server, and a conversation of an agent on {@code model}. */
    private void start(String model, Map<String, String> provider) {
        Map<String, String> vars = new HashMap<>(local.host(table).environment(local.template.function("ApiFunction")));
        vars.putAll(provider);
        Env env = new Env(vars);
        Services services = local.services(env, Services.summarizers(env)::forModel, new ExecutionInterceptor() { });
        handler = new ApiHandler(services);
        Agent agent = services.store().createAgent(TENANT, new Agent(Ids.newAgentId(), "ctx", model, 100_000,
                "You are terse.", "UTC", null, Instant.now()));
        services.store().createConversation(TENANT, agent, conversationId);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private ApiResponse send(String method, String resource, Map<String, String> query, Object body) {
        ApiEvents event = ApiEvents.of(TENANT, method, resource).param("conversation_id", conversationId);
        query.forEach(event::query);
        return handler.handle(event.body(body), null, Instant.now().plusSeconds(20));
    }

    /**
     * Four tool exchanges compacted once by the offline summarizer (so a summary is in context); the
     * route's {@code request} in {@code format}, then what the adapter sent when the agent's own
     * model compacted the same context.
     */
    private Sent routeThenAdapter(String format) {
        for (int round = 1; round <= 4; round++) {
            String call = "call_" + round;
            ApiResponse appended = send("POST", "/v1/conversations/{conversation_id}/messages/append", Map.of(), Map.of("messages", List.of(
                    Map.of("role", "user", "content", "Weather in Paris, round " + round + "?"),
                    Map.of("role", "assistant", "content", "Checking.", "tool_calls", List.of(Map.of("id", call, "type", "function",
                            "function", Map.of("name", "weather", "arguments", "{\"city\":\"Paris\"}")))),
                    Map.of("role", "tool", "tool_call_id", call, "content", "18C, clear"),
                    Map.of("role", "assistant", "content", "18C and clear."))));
            assertThat(appended.status()).as(appended.body()).isEqualTo(200);
        }
        // A first compaction by the offline summarizer, so the context holds a summary.
        ApiResponse first = send("POST", "/v1/conversations/{conversation_id}/compact", Map.of(),
                Map.of("compaction_settings", Map.of("mode", "sliding_window", "model", "local/extractive")));
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        ApiResponse context = send("GET", "/v1/conversations/{conversation_id}/context", Map.of("format", format), null);
        assertThat(context.status()).as(context.body()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        Map<String, Object> route = (Map<String, Object>) Json.parseObject(context.body()).get("request");
        // The agent's own model compacts: the adapter sends the context natively, then its own instruction turns.
        send("POST", "/v1/conversations/{conversation_id}/compact", Map.of(), Map.of("compaction_settings", Map.of("mode", "self_compact_all")));
        return new Sent(route, server.only().json());
    }

    /** The route's {@code request}, and the body the adapter sent. */
    private record Sent(Map<String, Object> route, Map<String, Object> adapter) {}

    @Test
    @SuppressWarnings("unchecked")
    void theOpenAiFormatOpensWhatTheChatCompletionsAdapterSends() {
        server.then(json(200, OPENAI_ANSWER));
        start("openai/gpt-4.1", Map.of("OPENAI_API_KEY", "sk-test", "OPENAI_BASE_URL", server.uri() + "/v1"));

        Sent sent = routeThenAdapter("openai");

        List<Object> route = (List<Object>) sent.route().get("messages");
        List<Object> adapter = (List<Object>) sent.adapter().get("messages");
        assertThat(route).hasSizeGreaterThan(3);
        assertThat(adapter).hasSizeGreaterThan(route.size());
        assertThat(adapter.subList(0, route.size())).isEqualTo(route);
        assertThat(Json.write(route)).contains("tool_call_id").contains("You are terse.");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theGeminiFormatOpensWhatTheGeminiAdapterSends() {
        server.then(json(200, GEMINI_ANSWER));
        start("google_ai/gemini-2.5-flash", Map.of("GEMINI_API_KEY", "AIza-test", "GOOGLE_GEMINI_BASE_URL", server.uri().toString()));

        Sent sent = routeThenAdapter("gemini");

        assertThat(sent.adapter().get("systemInstruction")).isEqualTo(sent.route().get("systemInstruction"));
        List<Object> route = (List<Object>) sent.route().get("contents");
        List<Object> adapter = (List<Object>) sent.adapter().get("contents");
        assertThat(route).hasSizeGreaterThan(3);
        // The context ends with the model's turn, which the adapter's own next model turn joins (turns alternate).
        assertThat(adapter.subList(0, route.size() - 1)).isEqualTo(route.subList(0, route.size() - 1));
        assertThat(Json.write(route)).contains("functionCall").contains("functionResponse");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theBedrockFormatOpensWhatTheAwsSdkSendsForConverse() {
        server.then(json(200, BEDROCK_ANSWER));
        // A model without prompt caching: the SDK's request carries no cache points the route leaves to the caller.
        start("bedrock/meta.llama3-3-70b-instruct-v1:0", Map.of("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", server.uri().toString()));

        Sent sent = routeThenAdapter("bedrock");

        assertThat(sent.adapter().get("system")).isEqualTo(sent.route().get("system"));
        List<Object> route = (List<Object>) sent.route().get("messages");
        List<Object> adapter = (List<Object>) sent.adapter().get("messages");
        assertThat(route).hasSizeGreaterThan(3);
        assertThat(adapter.subList(0, route.size() - 1)).isEqualTo(route.subList(0, route.size() - 1));
        assertThat(Json.write(route)).contains("toolUse").contains("toolResult");
        assertThat(Json.write(sent.adapter().get("toolConfig"))).contains("weather");
    }

    /** {@code json} without the {@code cache_control} marks self-compaction adds (the route leaves them to the caller). */
    private static Object withoutCacheMarks(Object json) {
        if (json instanceof Map<?, ?> map) {
            Map<Object, Object> out = new HashMap<>();
            map.forEach((k, v) -> {
                if (!"cache_control".equals(k)) {
                    out.put(k, withoutCacheMarks(v));
                }
            });
            return out;
        }
        return json instanceof List<?> list ? list.stream().map(ContextThroughAdapterTest::withoutCacheMarks).toList() : json;
    }

    @Test
    @SuppressWarnings("unchecked")
    void theAnthropicFormatOpensWhatTheMessagesAdapterSends() {
        server.then(sse(ANTHROPIC_STREAM));
        start("anthropic/claude-sonnet-4-5", Map.of("ANTHROPIC_API_KEY", "sk-ant-test", "ANTHROPIC_BASE_URL", server.uri().toString()));

        Sent sent = routeThenAdapter("anthropic");

        assertThat(withoutCacheMarks(sent.adapter().get("system"))).isEqualTo(sent.route().get("system"));
        List<Object> route = (List<Object>) sent.route().get("messages");
        List<Object> adapter = (List<Object>) withoutCacheMarks(sent.adapter().get("messages"));
        assertThat(route).hasSizeGreaterThan(3);
        assertThat(adapter.subList(0, route.size() - 1)).isEqualTo(route.subList(0, route.size() - 1));
        assertThat(Json.write(route)).contains("tool_use").contains("tool_result");
        assertThat(Json.write(sent.adapter().get("tools"))).contains("weather");
    }
}
