package dev.compactor.llm.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.compactor.conversation.ModelSettings;
import dev.compactor.llm.ModelApi;
import dev.compactor.llm.ModelCatalog;
import dev.compactor.llm.ModelReply;
import dev.compactor.llm.PromptLayout;
import dev.compactor.llm.ProviderErrors;
import dev.compactor.llm.SummaryRequest;
import dev.compactor.llm.TokenUsage;
import dev.compactor.llm.render.NativeContext;
import dev.compactor.llm.render.ResponsesInput;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenAI's Responses API ({@code POST …/responses}), streamed: for the OpenAI models Letta sends
 * there (the o-series and GPT-5, with {@code reasoning.effort} and {@code text.verbosity}), those
 * served only there ({@code -pro}, {@code codex}), and for {@code chatgpt_oauth}, which reaches
 * the ChatGPT backend with a ChatGPT sign-in token and account id and accepts streamed, unstored
 * requests only. The prompt goes in {@code instructions}, the turns in {@code input}; a
 * self-compaction sends the agent's context as {@code function_call} and
 * {@code function_call_output} items, byte-stable for OpenAI's prefix cache.
 */
public final class OpenAiResponsesApi implements ModelApi {
    private final HttpProvider provider;

    public OpenAiResponsesApi(HttpProvider provider) {
        this.provider = provider;
    }

    @Override
    public ModelReply send(SummaryRequest request, ModelSettings settings, Instant deadline) {
        String name = provider.name();
        boolean chatgpt = "chatgpt_oauth".equals(name);
        String model = request.model().model();
        ResponsesInput input;
        if (request.context() != null) {
            input = NativeContext.openAiResponses(request.context());
        } else {
            PromptLayout layout = PromptLayout.of(request, false);
            List<ResponsesInput.Item> items = new ArrayList<>();
            for (PromptLayout.Turn turn : layout.turns()) {
                items.add(new ResponsesInput.MessageItem(null, turn.role(), new ResponsesInput.Text(turn.text())));
            }
            input = new ResponsesInput(layout.system(), items);
        }
        // OpenAI's own models get Letta's defaults when the settings name none; the ChatGPT backend keeps its own.
        String effort = settings.reasoningEffort() != null || chatgpt ? settings.reasoningEffort() : ModelCatalog.defaultReasoningEffort(model);
        String verbosity = settings.verbosity() != null || chatgpt ? settings.verbosity() : ModelCatalog.defaultVerbosity(model);
        // Letta leaves reasoning out for "none" (GPT-5.1's way to turn it off).
        Reasoning reasoning = effort == null || "none".equals(effort) ? null : new Reasoning(effort);
        TextConfig text = settings.outputFormat() == null && verbosity == null ? null
                : new TextConfig(settings.outputFormat() == null ? null : textFormat(settings.outputFormat()), verbosity);
        // The ChatGPT backend sets its own output limit; it is sent only when the caller asked for one.
        Integer maxOutput = !chatgpt || settings.maxOutputTokens() != null ? settings.outputLimit() : null;
        ResponsesRequest body = new ResponsesRequest(model, input.instructions() == null ? "" : input.instructions(), input.input(),
                maxOutput, settings.temperature(), reasoning, text, true, false);

        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + provider.key());
        headers.put("Accept", "text/event-stream");
        if (chatgpt) {
            headers.put("chatgpt-account-id", provider.env().require("CHATGPT_ACCOUNT_ID", name));
        }
        Reader reader = new Reader(name);
        provider.http().postForEvents(name, provider.uri("/responses"), headers, body, deadline, event -> reader.accept(event.data()));
        return reader.reply();
    }

    /** The request body; absent fields are not sent. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ResponsesRequest(String model, String instructions, List<ResponsesInput.Item> input,
                            @JsonProperty("max_output_tokens") Integer maxOutputTokens, Double temperature, Reasoning reasoning,
                            TextConfig text, boolean stream, boolean store) {}

    record Reasoning(String effort) {}

    /** @param format the caller's validated response format: its JSON Schema is free-form */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TextConfig(Map<String, Object> format, String verbosity) {}

    /** Any stream event, read for its type. */
    record EventType(String type) {}

    record TextDelta(String delta) {}

    /**
     * {@code response.completed}, {@code .incomplete} and {@code .failed}: the final response;
     * an {@code error} event carries {@code code} and {@code message} at the top. Counts are JSON
     * numbers of any size (see UsageCheck).
     */
    record ResponseEnded(Response response) {
        record Response(Usage usage, @JsonProperty("incomplete_details") IncompleteDetails incompleteDetails, Error error) {}

        record Usage(@JsonProperty("input_tokens") double inputTokens,
                     @JsonProperty("input_tokens_details") InputTokensDetails inputTokensDetails,
                     @JsonProperty("output_tokens") double outputTokens) {}

        record InputTokensDetails(@JsonProperty("cached_tokens") double cachedTokens) {}

        record IncompleteDetails(String reason) {}

        record Error(String code, String message) {}
    }

    /** Chat Completions' {@code response_format} in the Responses API's flattened {@code text.format} form. */
    private static Map<String, Object> textFormat(ModelSettings.ResponseFormat responseFormat) {
        Map<String, Object> format = new LinkedHashMap<>();
        format.put("type", responseFormat.type());
        if (responseFormat.jsonSchema() != null) {
            format.putAll(responseFormat.jsonSchema());
        }
        return format;
    }

    /** Accumulates the streamed text until the response completes, is cut short, or fails. */
    private static final class Reader {
        private final String provider;
        private final StringBuilder text = new StringBuilder();
        private ModelReply reply;

        Reader(String provider) {
            this.provider = provider;
        }

        void accept(String data) {
            if ("[DONE]".equals(data)) {
                return;
            }
            // Events are bound by their type: the fields a summary reads differ in shape between event types.
            String type = HttpTransport.bind(provider, data, EventType.class).type();
            if (type == null) {
                return;
            }
            switch (type) {
                case "response.output_text.delta" -> {
                    String delta = HttpTransport.bind(provider, data, TextDelta.class).delta();
                    text.append(delta == null ? "" : delta);
                }
                case "response.completed" -> reply = new ModelReply(text.toString(), ModelReply.Stop.COMPLETE, usage(ended(data)));
                case "response.incomplete" -> {
                    ResponseEnded ended = ended(data);
                    String reason = ended.response() == null || ended.response().incompleteDetails() == null ? null
                            : ended.response().incompleteDetails().reason();
                    reply = new ModelReply(text.toString(), "content_filter".equals(reason) ? ModelReply.Stop.FILTERED
                            : ModelReply.Stop.MAX_TOKENS, usage(ended));
                }
                case "response.failed" -> {
                    ResponseEnded ended = ended(data);
                    ResponseEnded.Error error = ended.response() == null ? null : ended.response().error();
                    throw ProviderErrors.fromStreamError(provider, error == null ? null : error.code(), error == null ? null : error.message());
                }
                case "error" -> {
                    ResponseEnded.Error error = HttpTransport.bind(provider, data, ResponseEnded.Error.class);
                    throw ProviderErrors.fromStreamError(provider, error.code(), error.message());
                }
                default -> {
                    // created, in_progress, output_item and content_part events carry nothing a summary needs
                }
            }
        }

        private ResponseEnded ended(String data) {
            return HttpTransport.bind(provider, data, ResponseEnded.class);
        }

        ModelReply reply() {
            if (reply == null) {
                throw ProviderErrors.incompleteStream(provider);
            }
            return reply;
        }

        private static TokenUsage usage(ResponseEnded ended) {
            ResponseEnded.Usage u = ended.response() == null ? null : ended.response().usage();
            if (u == null) {
                return new TokenUsage(0, 0, 0, 0);
            }
            long cached = u.inputTokensDetails() == null ? 0 : (long) u.inputTokensDetails().cachedTokens();
            return new TokenUsage((long) u.inputTokens() - cached, (long) u.outputTokens(), cached, 0);
        }
    }
}
