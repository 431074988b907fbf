package dev.compactor.local.providers;

import static dev.compactor.local.providers.ScriptedServer.json;
import static dev.compactor.local.providers.ScriptedServer.sse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.compaction.CompactionSettings;
import dev.compactor.compaction.Compactor;
import dev.compactor.compaction.MessageTokens;
import dev.compactor.compaction.Prompts;
import dev.compactor.compaction.SettingsParser;
import dev.compactor.conversation.ContentPart;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.Role;
import dev.compactor.conversation.ToolCall;
import dev.compactor.conversation.ToolReturn;
import dev.compactor.input.Fields;
import dev.compactor.llm.ModelHandle;
import dev.compactor.llm.Summarizers;
import dev.compactor.support.Json;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Self-compaction through the real adapters against the local provider servers: the agent's
 * context goes out in each vendor's native structure (tool calls and their results as such), with
 * cache points where the vendor takes them, the cache reads the provider reports come back in the
 * usage, and two conversations that share their first messages send bytes that agree up to the
 * first message that differs.
 */
class SelfCompactionWireTest extends ProviderServerTest {
    static final String SYSTEM = "You are a deploy bot.";
    static final String BEDROCK_ANSWER = """
            {"output":{"message":{"role":"assistant","content":[{"text":"I deployed the api to staging (build 4411)."}]}},
             "stopReason":"end_turn","usage":{"inputTokens":300,"outputTokens":14,"totalTokens":1014,
             "cacheReadInputTokens":700,"cacheWriteInputTokens":0},"metrics":{"latencyMs":640}}""";

    static Message message(Role role, String text, List<ToolCall> calls, List<ToolReturn> returns) {
        return new Message(null, 0, role, text == null ? List.of() : List.of(new ContentPart.Text(text)), calls, null, returns,
                null, null, null, null, null, null, null);
    }

    /** A conversation with a tool exchange that ends with {@code lastUserTurn}. */
    static List<Message> conversation(String lastUserTurn) {
        return List.of(
                Message.text(Role.SYSTEM, SYSTEM),
                Message.text(Role.USER, "deploy api to staging"),
                message(Role.ASSISTANT, "Deploying.", List.of(new ToolCall("call_1", "deploy", "{\"service\":\"api\",\"env\":\"staging\"}")), null),
                message(Role.TOOL, null, null, List.of(new ToolReturn("call_1", "success", "build 4411 is live", null, null))),
                Message.text(Role.ASSISTANT, "Done: build 4411 is live."),
                Message.text(Role.USER, lastUserTurn));
    }

    private Compactor.Outcome selfCompact(Summarizers summarizers, String agentModel, List<Message> context) {
        return compact(summarizers, "self_compact_all", agentModel, context);
    }

    /** A compaction of {@code context} in {@code mode} by the engine, with {@code model} as the agent's and the summarizer model. */
    static Compactor.Outcome compact(Summarizers summarizers, String mode, String model, List<Message> context) {
        Fields fields = new Fields();
        CompactionSettings settings = SettingsParser.parse(Json.tree("{\"mode\":\"" + mode + "\"}"),
                List.of("body", "compaction_settings"), fields);
        assertThat(fields.errors()).isEmpty();
        ModelHandle handle = ModelHandle.parse(model);
        return new Compactor(summarizers::forModel, MessageTokens.approximate(), Clock.systemUTC())
                .compact(new Compactor.Input(context, settings, handle, handle, 200_000, "UTC", "manual", Instant.now().plusSeconds(20)));
    }

    /**
     * The bodies agree byte for byte through the shared messages, first differ where the branches
     * do, and differ nowhere else. Converse's JSON writes {@code system} after {@code messages}
     * (its cache still reads system first), so the system prompt is in the common prefix only
     * where the body leads with it.
     */
    private static void assertAgreeUpToTheBranch(List<String> bodies, boolean systemLeads) {
        String a = bodies.get(0);
        String b = bodies.get(1);
        int common = 0;
        while (common < Math.min(a.length(), b.length()) && a.charAt(common) == b.charAt(common)) {
            common++;
        }
        assertThat(a.substring(0, common)).contains("deploy api to staging", "build 4411 is live", "Done: build 4411 is live.")
                .doesNotContain("branch");
        if (systemLeads) {
            assertThat(a.substring(0, common)).contains(SYSTEM);
        }
        assertThat(a.substring(common)).startsWith("first branch");
        assertThat(b.substring(common)).startsWith("second branch");
        assertThat(a.replace("first branch: also deploy web", "?")).isEqualTo(b.replace("second branch: roll back", "?"));
    }

    @Test
    void openAiGetsToolCallsAndToolMessagesAndReportsItsCachedPrefix() {
        server.then(json(200, OpenAiChatTest.ANSWER));
        Summarizers summarizers = providers.summarizers(Map.of("OPENAI_API_KEY", "sk-test", "OPENAI_BASE_URL", server.uri() + "/v1"), null);

        Compactor.Outcome outcome = selfCompact(summarizers, "openai/gpt-4.1", conversation("thanks"));

        ScriptedServer.Recorded sent = server.only();
        assertThat(sent.path()).isEqualTo("/v1/chat/completions");
        assertThat(sent.json().get("messages")).isEqualTo(Json.parse("""
                [{"role":"system","content":"You are a deploy bot."},
                 {"role":"user","content":"deploy api to staging"},
                 {"role":"assistant","content":"Deploying.","tool_calls":[{"id":"call_1","type":"function",
                    "function":{"name":"deploy","arguments":"{\\"service\\":\\"api\\",\\"env\\":\\"staging\\"}"}}]},
                 {"role":"tool","content":"build 4411 is live","tool_call_id":"call_1"},
                 {"role":"assistant","content":"Done: build 4411 is live."},
                 {"role":"user","content":"thanks"},
                 {"role":"assistant","content":%s},
                 {"role":"user","content":%s}]""".formatted(Json.write(Prompts.SELF_COMPACT_ASSISTANT_TURN), Json.write(Prompts.SELF_ALL))));
        assertThat(outcome.result().usage().cacheReadTokens()).isEqualTo(1024);

        assertAgreeUpToTheBranch(twoBranchesAfter(1, summarizers, "openai/gpt-4.1"), true);
    }

    @Test
    void openAiReasoningModelsGetFunctionCallItemsInTheResponsesInput() {
        server.then(sse(OpenAiResponsesTest.STREAM));
        Summarizers summarizers = providers.summarizers(Map.of("OPENAI_API_KEY", "sk-test", "OPENAI_BASE_URL", server.uri() + "/v1"), null);

        selfCompact(summarizers, "openai/gpt-5-mini", conversation("thanks"));

        ScriptedServer.Recorded sent = server.only();
        assertThat(sent.path()).isEqualTo("/v1/responses");
        assertThat(sent.json()).containsEntry("instructions", SYSTEM);
        assertThat(sent.json().get("input")).asList().contains(
                Json.parse("{\"type\":\"function_call\",\"call_id\":\"call_1\",\"name\":\"deploy\",\"arguments\":\"{\\\"service\\\":\\\"api\\\",\\\"env\\\":\\\"staging\\\"}\"}"),
                Json.parse("{\"type\":\"function_call_output\",\"call_id\":\"call_1\",\"output\":\"build 4411 is live\"}"));
    }

    @Test
    void anthropicGetsToolUseAndToolResultBlocksWithCacheControlOnTheKeptContext() {
        server.then(sse(AnthropicMessagesTest.STREAM));
        Summarizers summarizers = providers.summarizers(Map.of("ANTHROPIC_API_KEY", "sk-ant-test", "ANTHROPIC_BASE_URL", server.uri().toString()), null);

        Compactor.Outcome outcome = selfCompact(summarizers, "anthropic/claude-sonnet-4-5", conversation("thanks"));

        Map<String, Object> sent = server.only().json();
        assertThat(sent.get("system")).isEqualTo(Json.parse("""
                [{"type":"text","text":"You are a deploy bot.","cache_control":{"type":"ephemeral"}}]"""));
        assertThat(sent.get("messages")).isEqualTo(Json.parse("""
                [{"role":"user","content":[{"type":"text","text":"deploy api to staging"}]},
                 {"role":"assistant","content":[{"type":"text","text":"Deploying."},
                    {"type":"tool_use","id":"call_1","name":"deploy","input":{"service":"api","env":"staging"}}]},
                 {"role":"user","content":[{"type":"tool_result","tool_use_id":"call_1","content":"build 4411 is live"}]},
                 {"role":"assistant","content":[{"type":"text","text":"Done: build 4411 is live."}]},
                 {"role":"user","content":[{"type":"text","text":"thanks","cache_control":{"type":"ephemeral"}}]},
                 {"role":"assistant","content":[{"type":"text","text":%s}]},
                 {"role":"user","content":[{"type":"text","text":%s}]}]"""
                .formatted(Json.write(Prompts.SELF_COMPACT_ASSISTANT_TURN), Json.write(Prompts.SELF_ALL))));
        assertThat(sent.get("tools")).isEqualTo(Json.parse("[{\"name\":\"deploy\",\"input_schema\":{\"type\":\"object\"}}]"));
        assertThat(sent.get("tool_choice")).isEqualTo(Map.of("type", "none"));
        assertThat(outcome.result().usage().cacheReadTokens()).isEqualTo(2048);

        assertAgreeUpToTheBranch(twoBranchesAfter(1, summarizers, "anthropic/claude-sonnet-4-5"), true);
    }

    @Test
    void bedrockGetsToolUseAndToolResultBlocksWithCachePointsAndAToolConfig() {
        server.then(json(200, BEDROCK_ANSWER));
        Summarizers summarizers = providers.summarizers(Map.of(), server.uri());
        String model = "bedrock/us.anthropic.claude-haiku-4-5-20251001-v1:0";

        Compactor.Outcome outcome = selfCompact(summarizers, model, conversation("thanks"));

        ScriptedServer.Recorded recorded = server.only();
        TestProviders.assertSigV4(recorded, server.uri(), "bedrock");
        Map<String, Object> sent = recorded.json();
        assertThat(sent.get("system")).isEqualTo(Json.parse("[{\"text\":\"You are a deploy bot.\"},{\"cachePoint\":{\"type\":\"default\"}}]"));
        assertThat(sent.get("messages")).isEqualTo(Json.parse("""
                [{"role":"user","content":[{"text":"deploy api to staging"}]},
                 {"role":"assistant","content":[{"text":"Deploying."},
                    {"toolUse":{"toolUseId":"call_1","name":"deploy","input":{"service":"api","env":"staging"}}}]},
                 {"role":"user","content":[{"toolResult":{"toolUseId":"call_1","content":[{"text":"build 4411 is live"}],"status":"success"}}]},
                 {"role":"assistant","content":[{"text":"Done: build 4411 is live."}]},
                 {"role":"user","content":[{"text":"thanks"},{"cachePoint":{"type":"default"}}]},
                 {"role":"assistant","content":[{"text":%s}]},
                 {"role":"user","content":[{"text":%s}]}]"""
                .formatted(Json.write(Prompts.SELF_COMPACT_ASSISTANT_TURN), Json.write(Prompts.SELF_ALL))));
        assertThat(sent.get("toolConfig")).isEqualTo(Json.parse(
                "{\"tools\":[{\"toolSpec\":{\"name\":\"deploy\",\"inputSchema\":{\"json\":{\"type\":\"object\"}}}}]}"));
        assertThat(outcome.result().usage().cacheReadTokens()).isEqualTo(700);

        assertAgreeUpToTheBranch(twoBranchesAfter(1, summarizers, model), false);
    }

    @Test
    void bedrockModelsWithoutPromptCachingGetNoCachePoints() {
        server.then(json(200, BEDROCK_ANSWER));

        selfCompact(providers.summarizers(Map.of(), server.uri()), "bedrock/meta.llama3-3-70b-instruct-v1:0", conversation("thanks"));

        assertThat(server.only().text()).doesNotContain("cachePoint").contains("toolUse");
    }

    @Test
    void geminiGetsFunctionCallAndFunctionResponsePartsAndReportsItsCachedContent() {
        server.then(json(200, GeminiTest.ANSWER));
        Summarizers summarizers = providers.summarizers(Map.of("GEMINI_API_KEY", "AIza-test", "GOOGLE_GEMINI_BASE_URL", server.uri().toString()), null);

        Compactor.Outcome outcome = selfCompact(summarizers, "google_ai/gemini-2.5-flash", conversation("thanks"));

        Map<String, Object> sent = server.only().json();
        assertThat(sent.get("systemInstruction")).isEqualTo(Json.parse("{\"parts\":[{\"text\":\"You are a deploy bot.\"}]}"));
        assertThat(sent.get("contents")).isEqualTo(Json.parse("""
                [{"role":"user","parts":[{"text":"deploy api to staging"}]},
                 {"role":"model","parts":[{"text":"Deploying."},
                    {"functionCall":{"id":"call_1","name":"deploy","args":{"service":"api","env":"staging"}}}]},
                 {"role":"user","parts":[{"functionResponse":{"id":"call_1","name":"deploy","response":{"output":"build 4411 is live"}}}]},
                 {"role":"model","parts":[{"text":"Done: build 4411 is live."}]},
                 {"role":"user","parts":[{"text":"thanks"}]},
                 {"role":"model","parts":[{"text":%s}]},
                 {"role":"user","parts":[{"text":%s}]}]"""
                .formatted(Json.write(Prompts.SELF_COMPACT_ASSISTANT_TURN), Json.write(Prompts.SELF_ALL))));
        assertThat(outcome.result().usage().cacheReadTokens()).isEqualTo(600);

        assertAgreeUpToTheBranch(twoBranchesAfter(1, summarizers, "google_ai/gemini-2.5-flash"), true);
    }

    /** The two branches' bodies, after the {@code skip} requests a test already made. */
    private List<String> twoBranchesAfter(int skip, Summarizers summarizers, String agentModel) {
        selfCompact(summarizers, agentModel, conversation("first branch: also deploy web"));
        selfCompact(summarizers, agentModel, conversation("second branch: roll back"));
        List<ScriptedServer.Recorded> all = server.requests();
        assertThat(all).hasSize(skip + 2);
        return List.of(new String(all.get(skip).body(), StandardCharsets.UTF_8), new String(all.get(skip + 1).body(), StandardCharsets.UTF_8));
    }
}
