package dev.compactor.llm.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.compactor.conversation.ModelSettings;
import dev.compactor.llm.LlmException;
import dev.compactor.llm.ModelApi;
import dev.compactor.llm.ModelReply;
import dev.compactor.llm.PromptLayout;
import dev.compactor.llm.ProviderErrors;
import dev.compactor.llm.SummaryRequest;
import dev.compactor.llm.TokenUsage;
import dev.compactor.llm.render.AnthropicContext;
import dev.compactor.llm.render.NativeContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Anthropic Messages ({@code POST /v1/messages}) with SSE streaming, as Letta calls Anthropic for
 * summaries; also Kimi Code ({@code moonshot_coding}), which speaks the same protocol. The prompt
 * is the top-level {@code system}; a conversation that would open with the assistant's
 * acknowledgement gets a short user turn first, as the API requires. A self-compaction sends the
 * agent's context as {@code tool_use}/{@code tool_result} blocks with {@code cache_control} on the
 * system prompt and the last kept block (Letta marks the agent's own requests the same way), the
 * tools it calls declared by name and {@code tool_choice: none}.
 */
public final class AnthropicMessagesApi implements ModelApi {
    static final String API_VERSION = "2023-06-01";
    /** Letta's default thinking budget when thinking is enabled without one. */
    static final long DEFAULT_THINKING_BUDGET = 1024;

    private final HttpProvider provider;

    public AnthropicMessagesApi(HttpProvider provider) {
        this.provider = provider;
    }

    @Override
    public ModelReply send(SummaryRequest request, ModelSettings settings, Instant deadline) {
        // SettingsFit.judge has dropped what these models cannot take (verbosity, structured
        // output, effort for the models without it, a thinking budget over the output limit).
        String model = request.model().model();
        MessagesRequest body;
        Thinking thinking = settings.thinking() == null ? null : thinking(settings.thinking());
        OutputConfig output = settings.effort() == null ? null : new OutputConfig(settings.effort());
        if (request.context() != null) {
            AnthropicContext context = NativeContext.anthropic(request.context());
            List<Turn> turns = new ArrayList<>(context.messages().size());
            for (AnthropicContext.Message m : context.messages()) {
                turns.add(new Turn(m.role(), new Blocks(m.content())));
            }
            // Tool blocks need their tools declared; the summary must be text, so none may be called.
            List<ToolStub> tools = new ArrayList<>();
            for (String tool : context.toolNames()) {
                tools.add(new ToolStub(tool, ToolStub.ANY_OBJECT));
            }
            body = new MessagesRequest(model, settings.outputLimit(), context.system() == null ? null : new SystemBlocks(context.system()),
                    turns, settings.temperature(), thinking, output, tools.isEmpty() ? null : tools,
                    tools.isEmpty() ? null : ToolChoice.NONE, true);
        } else {
            PromptLayout layout = PromptLayout.of(request, true);
            List<Turn> turns = new ArrayList<>(layout.turns().size());
            for (PromptLayout.Turn turn : layout.turns()) {
                turns.add(new Turn(turn.role(), new PlainText(turn.text())));
            }
            body = new MessagesRequest(model, settings.outputLimit(), layout.system() == null ? null : new PlainSystem(layout.system()),
                    turns, settings.temperature(), thinking, output, null, null, true);
        }

        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-api-key", provider.key());
        headers.put("anthropic-version", API_VERSION);
        headers.put("Accept", "text/event-stream");
        Reader reader = new Reader(provider.name());
        provider.http().postForEvents(provider.name(), provider.uri("/v1/messages"), headers, body, deadline,
                event -> reader.accept(event.data()));
        return reader.reply();
    }

    private static Thinking thinking(ModelSettings.Thinking thinking) {
        if ("disabled".equals(thinking.type())) {
            return new Thinking("disabled", null);
        }
        return new Thinking("enabled", thinking.budgetTokens() != null ? thinking.budgetTokens() : DEFAULT_THINKING_BUDGET);
    }

    /** One stream event, with the fields a summary reads; counts are JSON numbers of any size (see UsageCheck). */
    record StreamEvent(String type, Started message, Delta delta, Usage usage, Error error) {
        record Started(Usage usage) {}

        /** A text delta ({@code type}, {@code text}) or the message delta ({@code stop_reason}). */
        record Delta(String type, String text, @JsonProperty("stop_reason") String stopReason) {}

        record Usage(@JsonProperty("input_tokens") double inputTokens, @JsonProperty("output_tokens") double outputTokens,
                     @JsonProperty("cache_read_input_tokens") double cacheReadInputTokens,
                     @JsonProperty("cache_creation_input_tokens") double cacheCreationInputTokens) {}

        record Error(String type, String message) {}
    }

    /** The request body; absent fields are not sent. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record MessagesRequest(String model, @JsonProperty("max_tokens") int maxTokens, SystemPrompt system, List<Turn> messages,
                           Double temperature, Thinking thinking, @JsonProperty("output_config") OutputConfig outputConfig,
                           List<ToolStub> tools, @JsonProperty("tool_choice") ToolChoice toolChoice, boolean stream) {}

    /** {@code system}: a string, or text blocks (which can carry a cache mark). */
    sealed interface SystemPrompt permits PlainSystem, SystemBlocks {}

    record PlainSystem(@JsonValue String text) implements SystemPrompt {}

    record SystemBlocks(@JsonValue List<AnthropicContext.TextBlock> blocks) implements SystemPrompt {}

    record Turn(String role, TurnContent content) {}

    /** A turn's {@code content}: a string, or content blocks. */
    sealed interface TurnContent permits PlainText, Blocks {}

    record PlainText(@JsonValue String text) implements TurnContent {}

    record Blocks(@JsonValue List<AnthropicContext.Block> blocks) implements TurnContent {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Thinking(String type, @JsonProperty("budget_tokens") Long budgetTokens) {}

    record OutputConfig(String effort) {}

    /** A tool the context calls, declared by name only: the summary request offers none to call. */
    record ToolStub(String name, @JsonProperty("input_schema") InputSchema inputSchema) {
        static final InputSchema ANY_OBJECT = new InputSchema("object");
    }

    record InputSchema(String type) {}

    record ToolChoice(String type) {
        static final ToolChoice NONE = new ToolChoice("none");
    }

    /** Accumulates text deltas, the stop reason and usage until {@code message_stop}. */
    private static final class Reader {
        private final String provider;
        private final StringBuilder text = new StringBuilder();
        private long input;
        private long output;
        private long cacheRead;
        private long cacheWrite;
        private String stopReason;
        private boolean stopped;

        Reader(String provider) {
            this.provider = provider;
        }

        void accept(String data) {
            StreamEvent event = HttpTransport.bind(provider, data, StreamEvent.class);
            if (event.type() == null) {
                return;
            }
            switch (event.type()) {
                case "message_start" -> {
                    StreamEvent.Usage usage = event.message() == null ? null : event.message().usage();
                    if (usage != null) {
                        input = (long) usage.inputTokens();
                        cacheRead = (long) usage.cacheReadInputTokens();
                        cacheWrite = (long) usage.cacheCreationInputTokens();
                        output = (long) usage.outputTokens();
                    }
                }
                case "content_block_delta" -> {
                    if (event.delta() != null && "text_delta".equals(event.delta().type()) && event.delta().text() != null) {
                        text.append(event.delta().text());
                    }
                }
                case "message_delta" -> {
                    stopReason = event.delta() == null ? null : event.delta().stopReason();
                    if (event.usage() != null) {
                        output = Math.max(output, (long) event.usage().outputTokens());
                    }
                }
                case "message_stop" -> stopped = true;
                case "error" -> throw ProviderErrors.fromStreamError(provider, event.error() == null ? null : event.error().type(),
                        event.error() == null ? null : event.error().message());
                default -> {
                    // ping and content-block boundaries carry nothing a summary needs
                }
            }
        }

        ModelReply reply() {
            if (!stopped) {
                throw ProviderErrors.incompleteStream(provider);
            }
            if ("model_context_window_exceeded".equals(stopReason)) {
                throw new LlmException(LlmException.Kind.CONTEXT_WINDOW_EXCEEDED, provider,
                        provider + " stopped: the input exceeds the model's context window");
            }
            ModelReply.Stop stop = "max_tokens".equals(stopReason) ? ModelReply.Stop.MAX_TOKENS
                    : "refusal".equals(stopReason) ? ModelReply.Stop.FILTERED
                    : ModelReply.Stop.COMPLETE;
            return new ModelReply(text.toString(), stop, new TokenUsage(input, output, cacheRead, cacheWrite));
        }
    }
}
