package dev.compactor.llm.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.compactor.conversation.ModelSettings;
import dev.compactor.llm.ModelApi;
import dev.compactor.llm.ModelReply;
import dev.compactor.llm.PromptLayout;
import dev.compactor.llm.ProviderErrors;
import dev.compactor.llm.SummaryRequest;
import dev.compactor.llm.TokenUsage;
import dev.compactor.llm.render.NativeContext;
import dev.compactor.llm.render.OpenAiChatContext;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenAI-compatible Chat Completions ({@code POST …/chat/completions}): OpenAI, Azure OpenAI
 * (deployment in the URL, {@code api-version}, {@code api-key} header), xAI, Groq, DeepSeek,
 * Together, OpenRouter, SGLang, Z.ai, Moonshot and Baseten. The prompt is the system message,
 * the optional acknowledgement an assistant message, the transcript the user message; a
 * self-compaction sends the agent's context as its own requests do ({@code tool_calls} and
 * {@code tool} messages, byte-stable so OpenAI's automatic prefix cache applies).
 */
public final class OpenAiChatApi implements ModelApi {
    /** Azure's generally available API version when {@code OPENAI_API_VERSION} is not set. */
    static final String AZURE_DEFAULT_API_VERSION = "2024-10-21";

    private final HttpProvider provider;

    public OpenAiChatApi(HttpProvider provider) {
        this.provider = provider;
    }

    @Override
    public ModelReply send(SummaryRequest request, ModelSettings settings, Instant deadline) {
        String name = provider.name();
        String model = request.model().model();
        boolean azure = "azure".equals(name);
        boolean openai = "openai".equals(name);
        // OpenAI and Azure replaced max_tokens (which reasoning models refuse); the other vendors document max_tokens.
        boolean completionTokens = openai || azure;
        List<OpenAiChatContext.Message> messages = request.context() != null ? NativeContext.openAi(request.context()).messages()
                : messages(PromptLayout.of(request, false));
        ChatRequest body = new ChatRequest(azure ? null : model, messages,
                completionTokens ? settings.outputLimit() : null, completionTokens ? null : settings.outputLimit(),
                settings.temperature(), settings.reasoningEffort(), settings.outputFormat(), settings.thinking());

        Map<String, String> headers = new LinkedHashMap<>();
        String key = provider.key();
        if (azure) {
            headers.put("api-key", key);
        } else if (key != null) {
            headers.put("Authorization", "Bearer " + key);
        }
        return reply(provider.http().postJson(name, uri(model, azure), headers, body, deadline, ChatCompletion.class));
    }

    private URI uri(String model, boolean azure) {
        if (!azure) {
            return provider.uri("/chat/completions");
        }
        String version = provider.env().get("OPENAI_API_VERSION", AZURE_DEFAULT_API_VERSION);
        return provider.uri("/openai/deployments/" + URLEncoder.encode(model, StandardCharsets.UTF_8)
                + "/chat/completions?api-version=" + URLEncoder.encode(version, StandardCharsets.UTF_8));
    }

    private static List<OpenAiChatContext.Message> messages(PromptLayout layout) {
        List<OpenAiChatContext.Message> messages = new ArrayList<>();
        if (layout.system() != null) {
            messages.add(OpenAiChatContext.Message.of("system", layout.system()));
        }
        for (PromptLayout.Turn turn : layout.turns()) {
            messages.add(OpenAiChatContext.Message.of(turn.role(), turn.text()));
        }
        return messages;
    }

    private ModelReply reply(ChatCompletion answer) {
        ChatCompletion.Choice choice = answer.choices() == null || answer.choices().isEmpty() ? null : answer.choices().get(0);
        if (choice == null || choice.message() == null) {
            throw ProviderErrors.malformed(provider.name(), "no choices[0].message", null);
        }
        ModelReply.Stop stop = "length".equals(choice.finishReason()) ? ModelReply.Stop.MAX_TOKENS
                : "content_filter".equals(choice.finishReason()) ? ModelReply.Stop.FILTERED
                : ModelReply.Stop.COMPLETE;
        ChatCompletion.Usage counted = answer.usage() != null ? answer.usage() : new ChatCompletion.Usage(0, 0, null);
        long cached = counted.promptTokensDetails() == null ? 0 : (long) counted.promptTokensDetails().cachedTokens();
        TokenUsage usage = new TokenUsage((long) counted.promptTokens() - cached, (long) counted.completionTokens(), cached, 0);
        return new ModelReply(choice.message().content(), stop, usage);
    }

    /**
     * The request body, fields in the order OpenAI documents them; absent ones are not sent.
     *
     * @param responseFormat the caller's validated {@code response_format}, passed through: its
     *     {@code json_schema} is the caller's own free-form JSON Schema
     * @param thinking Z.ai's validated {@code thinking} object, passed through as the caller sent it
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ChatRequest(String model, List<OpenAiChatContext.Message> messages,
                       @JsonProperty("max_completion_tokens") Integer maxCompletionTokens,
                       @JsonProperty("max_tokens") Integer maxTokens,
                       Double temperature,
                       @JsonProperty("reasoning_effort") String reasoningEffort,
                       @JsonProperty("response_format") ModelSettings.ResponseFormat responseFormat,
                       ModelSettings.Thinking thinking) {}

    /** The part of a chat completion a summary reads. */
    record ChatCompletion(List<Choice> choices, Usage usage) {
        record Choice(@JsonProperty("finish_reason") String finishReason, Message message) {}

        record Message(String content) {}

        // Counts as JSON numbers of any size: a figure past a long is the provider's to answer for, and
        // UsageCheck rejects it (a long cast saturates), rather than the reply failing to bind.
        record Usage(@JsonProperty("prompt_tokens") double promptTokens, @JsonProperty("completion_tokens") double completionTokens,
                     @JsonProperty("prompt_tokens_details") PromptTokensDetails promptTokensDetails) {}

        record PromptTokensDetails(@JsonProperty("cached_tokens") double cachedTokens) {}
    }
}
