package dev.compactor.llm.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.conversation.ContentPart;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.Role;
import dev.compactor.conversation.ToolCall;
import dev.compactor.conversation.ToolReturn;
import dev.compactor.support.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NativeContextTest {
    static final String SYSTEM = "You are a deploy bot.";
    static final String SUMMARY = "{\"type\": \"system_alert\", \"message\": \"earlier: set up CI\"}";

    static Message user(String text) {
        return Message.text(Role.USER, text);
    }

    static Message assistant(String text, ToolCall... calls) {
        return new Message(null, 0, Role.ASSISTANT, text == null ? List.of() : List.of(new ContentPart.Text(text)), List.of(calls),
                null, null, null, null, null, null, null, null, null);
    }

    static Message tool(String callId, String status, String response) {
        return new Message(null, 0, Role.TOOL, List.of(), null, null, List.of(new ToolReturn(callId, status, response, null, null)),
                null, null, null, null, null, null, null);
    }

    static Message approvalRequest(ToolCall... calls) {
        return new Message(null, 0, Role.APPROVAL, List.of(), List.of(calls), null, null, null, null, null, null, null, null, null);
    }

    static Message approvalResponse(boolean approve) {
        return new Message(null, 0, Role.APPROVAL, List.of(), null, null, null, null, null, approve, "r1", null, null, null);
    }

    static Message withParts(Role role, ContentPart... parts) {
        return new Message(null, 0, role, List.of(parts), null, null, null, null, null, null, null, null, null, null);
    }

    /** A summary, a user turn, a tool exchange (a call and its result), and the assistant's answer. */
    static List<Message> exchange() {
        return List.of(
                user("deploy api"),
                assistant("Deploying.", new ToolCall("call_1", "deploy", "{\"service\":\"api\"}")),
                tool("call_1", "success", "build 4411 live"),
                assistant("Done: build 4411."));
    }

    static String json(Object value) {
        return Json.write(value);
    }

    @Test
    void openAiHasTheSystemFirstToolCallsWithJsonStringArgumentsAndToolMessagesAnsweringThem() {
        OpenAiChatContext rendered = NativeContext.openAi(ContextParts.of(SYSTEM, SUMMARY, exchange()));

        assertThat(Json.parse(json(rendered))).isEqualTo(Json.parse("""
                {"messages":[
                  {"role":"system","content":"You are a deploy bot."},
                  {"role":"user","content":%s},
                  {"role":"user","content":"deploy api"},
                  {"role":"assistant","content":"Deploying.","tool_calls":[{"id":"call_1","type":"function",
                     "function":{"name":"deploy","arguments":"{\\"service\\":\\"api\\"}"}}]},
                  {"role":"tool","content":"build 4411 live","tool_call_id":"call_1"},
                  {"role":"assistant","content":"Done: build 4411."}]}""".formatted(Json.write(SUMMARY))));
    }

    @Test
    void anthropicAlternatesWithToolUseAndToolResultBlocksAndMergesTurnsOfOneRole() {
        AnthropicContext rendered = NativeContext.anthropic(ContextParts.of(SYSTEM, SUMMARY, exchange()));

        assertThat(Json.parse(json(rendered))).isEqualTo(Json.parse("""
                {"system":[{"type":"text","text":"You are a deploy bot."}],
                 "messages":[
                  {"role":"user","content":[{"type":"text","text":%s},{"type":"text","text":"deploy api"}]},
                  {"role":"assistant","content":[{"type":"text","text":"Deploying."},
                     {"type":"tool_use","id":"call_1","name":"deploy","input":{"service":"api"}}]},
                  {"role":"user","content":[{"type":"tool_result","tool_use_id":"call_1","content":"build 4411 live"}]},
                  {"role":"assistant","content":[{"type":"text","text":"Done: build 4411."}]}]}""".formatted(Json.write(SUMMARY))));
        assertThat(rendered.toolNames()).containsExactly("deploy");
    }

    @Test
    void bedrockUsesToolUseAndToolResultBlocksAndCachePointsAfterTheSystemAndTheStableMessages() {
        ConverseContext rendered = NativeContext.bedrock(ContextParts.of(SYSTEM, null, exchange()).withCachePoint(2)
                .followedBy(List.of(user("Summarize."))));

        assertThat(Json.parse(json(rendered))).isEqualTo(Json.parse("""
                {"system":[{"text":"You are a deploy bot."},{"cachePoint":{"type":"default"}}],
                 "messages":[
                  {"role":"user","content":[{"text":"deploy api"}]},
                  {"role":"assistant","content":[{"text":"Deploying."},
                     {"toolUse":{"toolUseId":"call_1","name":"deploy","input":{"service":"api"}}}]},
                  {"role":"user","content":[{"toolResult":{"toolUseId":"call_1","content":[{"text":"build 4411 live"}],"status":"success"}},
                     {"cachePoint":{"type":"default"}}]},
                  {"role":"assistant","content":[{"text":"Done: build 4411."}]},
                  {"role":"user","content":[{"text":"Summarize."}]}]}"""));
        assertThat(rendered.toolNames()).containsExactly("deploy");
    }

    @Test
    void anthropicMarksTheSystemAndTheLastStableBlockEvenInsideAMergedTurn() {
        List<Message> messages = List.of(user("a"), assistant("b"), user("c"), user("Summarize."));
        AnthropicContext rendered = NativeContext.anthropic(ContextParts.of(SYSTEM, null, messages).withCachePoint(2));

        assertThat(Json.parse(json(rendered))).isEqualTo(Json.parse("""
                {"system":[{"type":"text","text":"You are a deploy bot.","cache_control":{"type":"ephemeral"}}],
                 "messages":[
                  {"role":"user","content":[{"type":"text","text":"a"}]},
                  {"role":"assistant","content":[{"type":"text","text":"b"}]},
                  {"role":"user","content":[{"type":"text","text":"c","cache_control":{"type":"ephemeral"}},
                                            {"type":"text","text":"Summarize."}]}]}"""));
    }

    @Test
    void geminiHasModelTurnsWithFunctionCallsAndUserTurnsWithFunctionResponses() {
        List<Message> messages = new ArrayList<>(exchange());
        messages.add(assistant(null, new ToolCall("call_2", "rollback", "{}")));
        messages.add(tool("call_2", "error", "no previous build"));
        GeminiContext rendered = NativeContext.gemini(ContextParts.of(SYSTEM, SUMMARY, messages));

        assertThat(Json.parse(json(rendered))).isEqualTo(Json.parse("""
                {"systemInstruction":{"parts":[{"text":"You are a deploy bot."}]},
                 "contents":[
                  {"role":"user","parts":[{"text":%s},{"text":"deploy api"}]},
                  {"role":"model","parts":[{"text":"Deploying."},{"functionCall":{"id":"call_1","name":"deploy","args":{"service":"api"}}}]},
                  {"role":"user","parts":[{"functionResponse":{"id":"call_1","name":"deploy","response":{"output":"build 4411 live"}}}]},
                  {"role":"model","parts":[{"text":"Done: build 4411."},
                     {"functionCall":{"id":"call_2","name":"rollback","args":{}}}]},
                  {"role":"user","parts":[{"functionResponse":{"id":"call_2","name":"rollback","response":{"error":"no previous build"}}}]}]}"""
                .formatted(Json.write(SUMMARY))));
    }

    @Test
    void aContextOpeningWithTheAssistantGetsLettasOpeningUserTurnWhereTheVendorNeedsIt() {
        List<Message> messages = List.of(assistant("Hello, I am ready."), user("hi"));

        assertThat(NativeContext.anthropic(ContextParts.of(null, null, messages)).messages().get(0))
                .isEqualTo(new AnthropicContext.Message("user", List.of(new AnthropicContext.TextBlock("text", Exchange.FIRST_USER_TURN, null))));
        assertThat(NativeContext.bedrock(ContextParts.of(null, null, messages)).messages().get(0).role()).isEqualTo("user");
        assertThat(NativeContext.gemini(ContextParts.of(null, null, messages)).contents().get(0).role()).isEqualTo("user");
        assertThat(NativeContext.openAi(ContextParts.of(null, null, messages)).messages().get(0).role()).isEqualTo("assistant");
    }

    @Test
    void aPendingApprovalIsLeftOutAndAnApprovedOneIsAnAssistantCallWithItsResult() {
        ToolCall approved = new ToolCall("call_a", "delete_branch", "{\"name\":\"old\"}");
        ToolCall pending = new ToolCall("call_p", "drop_table", "{\"table\":\"users\"}");
        List<Message> messages = List.of(
                user("clean up"),
                assistant("Needs approval.", approved), approvalRequest(approved), approvalResponse(true),
                tool("call_a", "success", "deleted"),
                user("now drop users"),
                assistant("Asking first.", pending), approvalRequest(pending));
        ContextParts parts = ContextParts.of(SYSTEM, null, messages);

        String openAi = json(NativeContext.openAi(parts));
        assertThat(openAi).contains("call_a").doesNotContain("call_p").doesNotContain("drop_table");
        assertThat(Json.parse(openAi)).isEqualTo(Json.parse("""
                {"messages":[{"role":"system","content":"You are a deploy bot."},
                  {"role":"user","content":"clean up"},
                  {"role":"assistant","content":"Needs approval.","tool_calls":[{"id":"call_a","type":"function",
                     "function":{"name":"delete_branch","arguments":"{\\"name\\":\\"old\\"}"}}]},
                  {"role":"tool","content":"deleted","tool_call_id":"call_a"},
                  {"role":"user","content":"now drop users"},
                  {"role":"assistant","content":"Asking first."}]}"""));
        for (String vendor : List.of(json(NativeContext.anthropic(parts)), json(NativeContext.bedrock(parts)), json(NativeContext.gemini(parts)))) {
            assertThat(vendor).contains("call_a").doesNotContain("call_p").doesNotContain("drop_table");
        }
    }

    @Test
    void aResultWithoutItsCallIsUserTextAndACallWithoutItsResultIsLeftOut() {
        List<Message> messages = List.of(
                tool("evicted_call", "success", "42 rows"),
                user("and?"),
                assistant("Checking.", new ToolCall("call_x", "count", "{}")),
                user("never mind"));

        AnthropicContext rendered = NativeContext.anthropic(ContextParts.of(null, null, messages));

        assertThat(Json.parse(json(rendered))).isEqualTo(Json.parse("""
                {"messages":[{"role":"user","content":[{"type":"text","text":"[tool result] 42 rows"},{"type":"text","text":"and?"}]},
                  {"role":"assistant","content":[{"type":"text","text":"Checking."}]},
                  {"role":"user","content":[{"type":"text","text":"never mind"}]}]}"""));
    }

    @Test
    void reasoningIsLeftOutAndImagesAreNativeWhereTheVendorTakesThem() {
        Map<String, Object> base64 = Map.of("type", "image", "source", Map.of("type", "base64", "media_type", "image/png", "data", "iVBORw0KGgo="));
        Map<String, Object> url = Map.of("type", "image", "source", Map.of("type", "url", "url", "https://example.com/a.jpg"));
        List<Message> messages = List.of(
                withParts(Role.USER, new ContentPart.Text("look"), new ContentPart.Image(base64), new ContentPart.Image(url)),
                withParts(Role.ASSISTANT, new ContentPart.Other("reasoning", Map.of("type", "reasoning", "reasoning", "secret thoughts")),
                        new ContentPart.Text("A chart.")));
        ContextParts parts = ContextParts.of(null, null, messages);

        assertThat(Json.parse(json(NativeContext.openAi(parts)))).isEqualTo(Json.parse("""
                {"messages":[{"role":"user","content":[{"type":"text","text":"look"},
                   {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}},
                   {"type":"image_url","image_url":{"url":"https://example.com/a.jpg"}}]},
                  {"role":"assistant","content":"A chart."}]}"""));
        assertThat(Json.parse(json(NativeContext.anthropic(parts).messages().get(0)))).isEqualTo(Json.parse("""
                {"role":"user","content":[{"type":"text","text":"look"},
                   {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
                   {"type":"image","source":{"type":"url","url":"https://example.com/a.jpg"}}]}"""));
        assertThat(Json.parse(json(NativeContext.bedrock(parts).messages().get(0)))).isEqualTo(Json.parse("""
                {"role":"user","content":[{"text":"look"},{"image":{"format":"png","source":{"bytes":"iVBORw0KGgo="}}},
                   {"text":"[Image Here]"}]}"""));
        assertThat(Json.parse(json(NativeContext.gemini(parts).contents().get(0)))).isEqualTo(Json.parse("""
                {"role":"user","parts":[{"text":"look"},{"inlineData":{"mimeType":"image/png","data":"iVBORw0KGgo="}},
                   {"text":"[Image Here]"}]}"""));
        for (Object rendered : List.of(NativeContext.openAi(parts), NativeContext.anthropic(parts), NativeContext.bedrock(parts),
                NativeContext.gemini(parts), NativeContext.openAiResponses(parts))) {
            assertThat(json(rendered)).doesNotContain("secret thoughts");
        }
    }

    @Test
    void responsesInputHasFunctionCallItemsAndTheirOutputs() {
        ResponsesInput rendered = NativeContext.openAiResponses(ContextParts.of(SYSTEM, null, exchange()));

        assertThat(Json.parse(json(rendered))).isEqualTo(Json.parse("""
                {"instructions":"You are a deploy bot.","input":[
                  {"type":"message","role":"user","content":"deploy api"},
                  {"type":"message","role":"assistant","content":"Deploying."},
                  {"type":"function_call","call_id":"call_1","name":"deploy","arguments":"{\\"service\\":\\"api\\"}"},
                  {"type":"function_call_output","call_id":"call_1","output":"build 4411 live"},
                  {"type":"message","role":"assistant","content":"Done: build 4411."}]}"""));
    }

    @Test
    void idsAreCutForOpenAiAndMadeSafeForAnthropicAndBedrock() {
        String longId = "toolu_01.abcdefghijklmnopqrstuvwxyz0123456789";
        List<Message> messages = List.of(user("go"), assistant(null, new ToolCall(longId, "f", "not json")), tool(longId, "success", "ok"));
        ContextParts parts = ContextParts.of(null, null, messages);

        OpenAiChatContext openAi = NativeContext.openAi(parts);
        assertThat(openAi.messages().get(1).toolCalls().get(0).id()).isEqualTo(longId.substring(0, 29));
        assertThat(openAi.messages().get(2).toolCallId()).isEqualTo(longId.substring(0, 29));
        AnthropicContext anthropic = NativeContext.anthropic(parts);
        AnthropicContext.ToolUseBlock use = (AnthropicContext.ToolUseBlock) anthropic.messages().get(1).content().get(0);
        assertThat(use.id()).isEqualTo("toolu_01_abcdefghijklmnopqrstuvwxyz0123456789");
        assertThat(use.input()).isEqualTo(Map.of("arguments", "not json"));
        assertThat(((AnthropicContext.ToolResultBlock) anthropic.messages().get(2).content().get(0)).toolUseId()).isEqualTo(use.id());
    }

    @Test
    void renderingIsDeterministicAndContextsSharingTheirFirstMessagesAgreeUpToTheFirstDifference() {
        List<Message> a = new ArrayList<>(exchange());
        a.add(user("first branch"));
        List<Message> b = new ArrayList<>(exchange());
        b.add(user("second branch"));
        for (var vendor : List.<java.util.function.Function<ContextParts, Object>>of(NativeContext::openAi, NativeContext::anthropic,
                NativeContext::bedrock, NativeContext::gemini, NativeContext::openAiResponses)) {
            String first = json(vendor.apply(ContextParts.of(SYSTEM, SUMMARY, a).withCachePoint(3)));
            assertThat(json(vendor.apply(ContextParts.of(SYSTEM, SUMMARY, new ArrayList<>(a)).withCachePoint(3)))).isEqualTo(first);
            String second = json(vendor.apply(ContextParts.of(SYSTEM, SUMMARY, b).withCachePoint(3)));
            int common = commonPrefix(first, second);
            assertThat(first.substring(0, common)).contains("Done: build 4411.").doesNotContain("branch");
            assertThat(first.substring(common)).startsWith("first");
        }
    }

    private static int commonPrefix(String x, String y) {
        int n = 0;
        while (n < Math.min(x.length(), y.length()) && x.charAt(n) == y.charAt(n)) {
            n++;
        }
        return n;
    }

    @Test
    void aStoredContextSplitsItsSystemMessageFromTheRest() {
        List<Message> context = new ArrayList<>(List.of(Message.text(Role.SYSTEM, SYSTEM), Message.text(Role.SUMMARY, SUMMARY)));
        context.addAll(exchange());

        assertThat(json(NativeContext.openAi(ContextParts.ofContext(context))))
                .isEqualTo(json(NativeContext.openAi(ContextParts.of(SYSTEM, SUMMARY, exchange()))));
    }
}
