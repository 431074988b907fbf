package dev.compactor.llm.http;

import dev.compactor.llm.ModelApi;
import dev.compactor.llm.ModelCatalog;
import dev.compactor.llm.ModelReply;
import dev.compactor.llm.ModelSettings;
import dev.compactor.llm.PromptLayout;
import dev.compactor.llm.ProviderErrors;
import dev.compactor.llm.SummaryRequest;
import dev.compactor.llm.TokenUsage;
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
 * the optional acknowledgement an assistant message, the transcript the user message.
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
        boolean reasoningModel = openai && ModelCatalog.isOpenAiReasoningModel(model);

        Map<String, Object> body = new LinkedHashMap<>();
        if (!azure) {
            body.put("model", model);
        }
        body.put("messages", messages(PromptLayout.of(request, false)));
        // OpenAI and Azure replaced max_tokens (which reasoning models refuse); the other vendors document max_tokens.
        body.put(openai || azure ? "max_completion_tokens" : "max_tokens", settings.maxOutputTokens());
        if (settings.temperature() != null) {
            if (reasoningModel) {
                throw settings.unsupported("temperature", "OpenAI reasoning models take no temperature");
            }
            body.put("temperature", settings.temperature());
        }
        if (settings.reasoningEffort() != null) {
            if (openai && !reasoningModel) {
                throw settings.unsupported("reasoning", model + " is not a reasoning model");
            }
            body.put("reasoning_effort", settings.reasoningEffort());
        }
        if (settings.responseFormat() != null) {
            body.put("response_format", settings.responseFormat());
        }
        if (settings.thinking() != null) {
            body.put("thinking", settings.thinking());
        }

        Map<String, String> headers = new LinkedHashMap<>();
        String key = provider.key();
        if (azure) {
            headers.put("api-key", key);
        } else if (key != null) {
            headers.put("Authorization", "Bearer " + key);
        }
        Map<String, Object> answer = provider.http().postJson(name, uri(model, azure), headers, body, deadline);
        return reply(answer);
    }

    private URI uri(String model, boolean azure) {
        if (!azure) {
            return provider.uri("/chat/completions");
        }
        String version = provider.env().get("OPENAI_API_VERSION", AZURE_DEFAULT_API_VERSION);
        return provider.uri("/openai/deployments/" + URLEncoder.encode(model, StandardCharsets.UTF_8)
                + "/chat/completions?api-version=" + URLEncoder.encode(version, StandardCharsets.UTF_8));
    }

    private static List<Map<String, Object>> messages(PromptLayout layout) {
        List<Map<String, Object>> messages = new ArrayList<>();
        if (layout.system() != null) {
            messages.add(Map.of("role", "system", "content", layout.system()));
        }
        for (PromptLayout.Turn turn : layout.turns()) {
            messages.add(Map.of("role", turn.role(), "content", turn.text()));
        }
        return messages;
    }

    private ModelReply reply(Map<String, Object> answer) {
        String finish = JsonPath.string(answer, "choices", 0, "finish_reason");
        ModelReply.Stop stop = "length".equals(finish) ? ModelReply.Stop.MAX_TOKENS
                : "content_filter".equals(finish) ? ModelReply.Stop.FILTERED
                : ModelReply.Stop.COMPLETE;
        long prompt = JsonPath.number(answer, "usage", "prompt_tokens");
        long cached = JsonPath.number(answer, "usage", "prompt_tokens_details", "cached_tokens");
        TokenUsage usage = new TokenUsage(prompt - cached, JsonPath.number(answer, "usage", "completion_tokens"), cached, 0);
        if (JsonPath.at(answer, "choices", 0, "message") == null) {
            throw ProviderErrors.malformed(provider.name(), "no choices[0].message", null);
        }
        return new ModelReply(JsonPath.string(answer, "choices", 0, "message", "content"), stop, usage);
    }
}
