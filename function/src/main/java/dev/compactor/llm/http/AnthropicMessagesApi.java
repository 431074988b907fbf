package dev.compactor.llm.http;

import dev.compactor.llm.LlmException;
import dev.compactor.llm.ModelApi;
import dev.compactor.llm.ModelReply;
import dev.compactor.llm.ModelSettings;
import dev.compactor.llm.PromptLayout;
import dev.compactor.llm.ProviderErrors;
import dev.compactor.llm.SummaryRequest;
import dev.compactor.llm.TokenUsage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Anthropic Messages ({@code POST /v1/messages}) with SSE streaming, as Letta calls Anthropic for
 * summaries; also Kimi Code ({@code moonshot_coding}), which speaks the same protocol. The prompt
 * is the top-level {@code system}; a conversation that would open with the assistant's
 * acknowledgement gets a short user turn first, as the API requires.
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
        if (settings.verbosity() != null) {
            throw settings.unsupported("verbosity", "the Messages API has no verbosity control");
        }
        if (settings.wantsJson()) {
            throw settings.unsupported("response_format", "summaries through the Messages API are plain text");
        }
        PromptLayout layout = PromptLayout.of(request, true);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", request.model().model());
        body.put("max_tokens", settings.maxOutputTokens());
        if (layout.system() != null) {
            body.put("system", layout.system());
        }
        List<Map<String, Object>> messages = new ArrayList<>();
        for (PromptLayout.Turn turn : layout.turns()) {
            messages.add(Map.of("role", turn.role(), "content", turn.text()));
        }
        body.put("messages", messages);
        if (settings.temperature() != null) {
            body.put("temperature", settings.temperature());
        }
        Map<String, Object> thinking = settings.thinking();
        if (thinking != null) {
            body.put("thinking", thinking(thinking, settings));
        }
        if (settings.effort() != null) {
            body.put("output_config", Map.of("effort", settings.effort()));
        }
        body.put("stream", true);

        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-api-key", provider.key());
        headers.put("anthropic-version", API_VERSION);
        headers.put("Accept", "text/event-stream");
        Reader reader = new Reader(provider.name());
        provider.http().postForEvents(provider.name(), provider.uri("/v1/messages"), headers, body, deadline,
                event -> reader.accept(event.data()));
        return reader.reply();
    }

    private static Map<String, Object> thinking(Map<String, Object> thinking, ModelSettings settings) {
        if ("disabled".equals(thinking.get("type"))) {
            return Map.of("type", "disabled");
        }
        long budget = thinking.get("budget_tokens") instanceof Long b ? b : DEFAULT_THINKING_BUDGET;
        if (budget >= settings.maxOutputTokens()) {
            throw settings.unsupported("thinking", "budget_tokens (" + budget + ") must be below max_output_tokens ("
                    + settings.maxOutputTokens() + ")");
        }
        return Map.of("type", "enabled", "budget_tokens", budget);
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
            Map<String, Object> event = HttpTransport.parse(provider, data);
            String type = JsonPath.string(event, "type");
            if (type == null) {
                return;
            }
            switch (type) {
                case "message_start" -> {
                    input = JsonPath.number(event, "message", "usage", "input_tokens");
                    cacheRead = JsonPath.number(event, "message", "usage", "cache_read_input_tokens");
                    cacheWrite = JsonPath.number(event, "message", "usage", "cache_creation_input_tokens");
                    output = JsonPath.number(event, "message", "usage", "output_tokens");
                }
                case "content_block_delta" -> {
                    if ("text_delta".equals(JsonPath.string(event, "delta", "type"))) {
                        text.append(JsonPath.string(event, "delta", "text"));
                    }
                }
                case "message_delta" -> {
                    stopReason = JsonPath.string(event, "delta", "stop_reason");
                    output = Math.max(output, JsonPath.number(event, "usage", "output_tokens"));
                }
                case "message_stop" -> stopped = true;
                case "error" -> throw ProviderErrors.fromStreamError(provider, JsonPath.string(event, "error", "type"),
                        JsonPath.string(event, "error", "message"));
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
