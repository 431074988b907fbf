package dev.compactor.llm.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.compactor.conversation.ContentPart;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.Role;
import dev.compactor.conversation.ToolCall;
import dev.compactor.conversation.ToolReturn;
import dev.compactor.llm.render.AnthropicContext;
import dev.compactor.llm.render.ContextParts;
import dev.compactor.llm.render.GeminiContext;
import dev.compactor.llm.render.NativeContext;
import dev.compactor.llm.render.ResponsesInput;
import dev.compactor.support.JsonMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP adapters' wire bodies, written and read once through the mapper without any network
 * call: a representative context with a summary and a tool exchange rendered in every vendor's
 * structure, each dialect's request body serialised and its answer (or stream events) bound. Run
 * by the SnapStart hooks: the records load and Jackson builds their (de)serializers on first use,
 * which otherwise lands in the first summary through each adapter after a restore.
 */
public final class WirePriming {
    private static final String PROVIDER = "priming";
    private static final String CHAT_COMPLETION = "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},"
            + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"prompt_tokens_details\":{\"cached_tokens\":0}}}";
    private static final String[] RESPONSES_EVENTS = {
        "{\"type\":\"response.output_text.delta\",\"delta\":\"ok\"}",
        "{\"type\":\"response.completed\",\"response\":{\"usage\":{\"input_tokens\":1,\"input_tokens_details\":{\"cached_tokens\":0},"
                + "\"output_tokens\":1},\"incomplete_details\":null,\"error\":null}}"};
    private static final String[] ANTHROPIC_EVENTS = {
        "{\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":1,\"output_tokens\":1,\"cache_read_input_tokens\":0}}}",
        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"ok\"}}",
        "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":1}}",
        "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"};
    private static final String GEMINI_ANSWER = "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"ok\"}]},"
            + "\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"promptTokenCount\":1,\"candidatesTokenCount\":1}}";

    private WirePriming() {}

    public static void prime() {
        ContextParts context = ContextParts.of("You are terse.", "Earlier: the user deployed build 4410.", List.of(
                Message.text(Role.USER, "deploy api"),
                new Message(null, 0, Role.ASSISTANT, List.of(new ContentPart.Text("Deploying.")),
                        List.of(new ToolCall("call_1", "deploy", "{\"service\":\"api\"}")), null, null, null, null, null, null, null, null, null),
                new Message(null, 0, Role.TOOL, List.of(), null, null, List.of(new ToolReturn("call_1", "success", "live", null, null)),
                        null, null, null, null, null, null, null),
                Message.text(Role.ASSISTANT, "Done."))).withCachePoint(3);

        write(new OpenAiChatApi.ChatRequest("model", NativeContext.openAi(context).messages(), 1, null, 0.0, null, null, null));
        HttpTransport.bind(PROVIDER, CHAT_COMPLETION, OpenAiChatApi.ChatCompletion.class);

        ResponsesInput input = NativeContext.openAiResponses(context);
        write(new OpenAiResponsesApi.ResponsesRequest("model", input.instructions(), input.input(), 1, null,
                new OpenAiResponsesApi.Reasoning("low"), new OpenAiResponsesApi.TextConfig(null, "low"), true, false));
        for (String event : RESPONSES_EVENTS) {
            HttpTransport.bind(PROVIDER, event, OpenAiResponsesApi.EventType.class);
            HttpTransport.bind(PROVIDER, event, OpenAiResponsesApi.TextDelta.class);
            HttpTransport.bind(PROVIDER, event, OpenAiResponsesApi.ResponseEnded.class);
        }

        AnthropicContext anthropic = NativeContext.anthropic(context);
        List<AnthropicMessagesApi.Turn> turns = new ArrayList<>();
        for (AnthropicContext.Message m : anthropic.messages()) {
            turns.add(new AnthropicMessagesApi.Turn(m.role(), new AnthropicMessagesApi.Blocks(m.content())));
        }
        turns.add(new AnthropicMessagesApi.Turn("user", new AnthropicMessagesApi.PlainText("Summarize.")));
        write(new AnthropicMessagesApi.MessagesRequest("model", 1, new AnthropicMessagesApi.SystemBlocks(anthropic.system()), turns, 0.0,
                new AnthropicMessagesApi.Thinking("enabled", 1L), new AnthropicMessagesApi.OutputConfig("low"),
                List.of(new AnthropicMessagesApi.ToolStub("deploy", AnthropicMessagesApi.ToolStub.ANY_OBJECT)),
                AnthropicMessagesApi.ToolChoice.NONE, true));
        write(new AnthropicMessagesApi.MessagesRequest("model", 1, new AnthropicMessagesApi.PlainSystem("Summarize."), turns, null,
                null, null, null, null, true));
        for (String event : ANTHROPIC_EVENTS) {
            HttpTransport.bind(PROVIDER, event, AnthropicMessagesApi.StreamEvent.class);
        }

        GeminiContext gemini = NativeContext.gemini(context);
        write(new GeminiApi.GenerateRequest(gemini.systemInstruction(), gemini.contents(),
                new GeminiApi.GenerationConfig(1, 0.0, new GeminiApi.ThinkingConfig(false, 0L), null, null)));
        HttpTransport.bind(PROVIDER, GEMINI_ANSWER, GeminiApi.GenerateResponse.class);

        write(NativeContext.bedrock(context));
    }

    private static void write(Object body) {
        try {
            JsonMapper.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a wire body the mapper cannot write: " + body.getClass().getName(), e);
        }
    }
}
