package dev.compactor.llm.http;

import dev.compactor.llm.ModelApi;
import dev.compactor.llm.ModelReply;
import dev.compactor.llm.ModelSettings;
import dev.compactor.llm.PromptLayout;
import dev.compactor.llm.ProviderEnv;
import dev.compactor.llm.ProviderErrors;
import dev.compactor.llm.SummaryRequest;
import dev.compactor.llm.TokenUsage;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gemini {@code generateContent}: {@code google_ai} (the Gemini API with an API key) and
 * {@code google_vertex} (Vertex AI with a service-account token). The prompt is the
 * {@code systemInstruction}, the turns are {@code contents} with roles {@code user} and
 * {@code model}; thought parts are left out of the summary.
 */
public final class GeminiApi implements ModelApi {
    static final String VERTEX_DEFAULT_LOCATION = "us-central1";
    private static final Set<String> FILTER_REASONS = Set.of("SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII",
            "IMAGE_SAFETY");

    private final String provider;
    private final ProviderEnv env;
    private final HttpTransport http;
    private final VertexAccessToken vertexToken;

    /** The Gemini API, authenticated with {@code GEMINI_API_KEY}. */
    public static GeminiApi googleAi(ProviderEnv env, HttpTransport http) {
        return new GeminiApi("google_ai", env, http, null);
    }

    /** Vertex AI in {@code GOOGLE_CLOUD_PROJECT} / {@code GOOGLE_CLOUD_LOCATION}, authenticated as a service account. */
    public static GeminiApi vertex(ProviderEnv env, HttpTransport http) {
        return new GeminiApi("google_vertex", env, http, new VertexAccessToken(env, http));
    }

    private GeminiApi(String provider, ProviderEnv env, HttpTransport http, VertexAccessToken vertexToken) {
        this.provider = provider;
        this.env = env;
        this.http = http;
        this.vertexToken = vertexToken;
    }

    @Override
    public ModelReply send(SummaryRequest request, ModelSettings settings, Instant deadline) {
        PromptLayout layout = PromptLayout.of(request, true);
        Map<String, Object> body = new LinkedHashMap<>();
        if (layout.system() != null) {
            body.put("systemInstruction", Map.of("parts", List.of(Map.of("text", layout.system()))));
        }
        List<Map<String, Object>> contents = new ArrayList<>();
        for (PromptLayout.Turn turn : layout.turns()) {
            contents.add(Map.of("role", "assistant".equals(turn.role()) ? "model" : "user", "parts", List.of(Map.of("text", turn.text()))));
        }
        body.put("contents", contents);
        body.put("generationConfig", generationConfig(settings));

        String model = request.model().model();
        Map<String, String> headers = new LinkedHashMap<>();
        URI uri;
        if (vertexToken == null) {
            HttpEndpoint endpoint = HttpEndpoint.ALL.get(provider);
            headers.put("x-goog-api-key", endpoint.key(env));
            uri = endpoint.uri(env, "/v1beta/models/" + model + ":generateContent");
        } else {
            String project = env.require("GOOGLE_CLOUD_PROJECT", provider);
            String location = env.get("GOOGLE_CLOUD_LOCATION", VERTEX_DEFAULT_LOCATION);
            String host = "global".equals(location) ? "https://aiplatform.googleapis.com" : "https://" + location + "-aiplatform.googleapis.com";
            headers.put("Authorization", "Bearer " + vertexToken.get(deadline));
            uri = URI.create(HttpEndpoint.stripSlash(env.get("GOOGLE_VERTEX_BASE_URL", host)) + "/v1/projects/" + project
                    + "/locations/" + location + "/publishers/google/models/" + model + ":generateContent");
        }
        return reply(http.postJson(provider, uri, headers, body, deadline));
    }

    private static Map<String, Object> generationConfig(ModelSettings settings) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("maxOutputTokens", settings.maxOutputTokens());
        if (settings.temperature() != null) {
            config.put("temperature", settings.temperature());
        }
        Map<String, Object> thinking = settings.thinkingConfig();
        if (thinking != null) {
            Map<String, Object> out = new LinkedHashMap<>();
            if (thinking.containsKey("include_thoughts")) {
                out.put("includeThoughts", thinking.get("include_thoughts"));
            }
            if (thinking.containsKey("thinking_budget")) {
                out.put("thinkingBudget", thinking.get("thinking_budget"));
            }
            config.put("thinkingConfig", out);
        }
        Map<String, Object> format = settings.responseFormat();
        if (format != null && !"text".equals(format.get("type"))) {
            config.put("responseMimeType", "application/json");
            if (format.get("json_schema") instanceof Map<?, ?> jsonSchema) {
                config.put("responseJsonSchema", jsonSchema.containsKey("schema") ? jsonSchema.get("schema") : jsonSchema);
            }
        }
        return config;
    }

    private ModelReply reply(Map<String, Object> answer) {
        TokenUsage usage = usage(answer);
        if (JsonPath.string(answer, "promptFeedback", "blockReason") != null) {
            return new ModelReply("", ModelReply.Stop.FILTERED, usage);
        }
        if (JsonPath.at(answer, "candidates", 0) == null) {
            throw ProviderErrors.malformed(provider, "no candidates", null);
        }
        StringBuilder text = new StringBuilder();
        for (Object part : JsonPath.list(answer, "candidates", 0, "content", "parts")) {
            if (!Boolean.TRUE.equals(JsonPath.at(part, "thought")) && JsonPath.string(part, "text") != null) {
                text.append(JsonPath.string(part, "text"));
            }
        }
        String finish = JsonPath.string(answer, "candidates", 0, "finishReason");
        ModelReply.Stop stop = "MAX_TOKENS".equals(finish) ? ModelReply.Stop.MAX_TOKENS
                : FILTER_REASONS.contains(finish) ? ModelReply.Stop.FILTERED
                : ModelReply.Stop.COMPLETE;
        return new ModelReply(text.toString(), stop, usage);
    }

    private static TokenUsage usage(Map<String, Object> answer) {
        long prompt = JsonPath.number(answer, "usageMetadata", "promptTokenCount");
        long cached = JsonPath.number(answer, "usageMetadata", "cachedContentTokenCount");
        long output = JsonPath.number(answer, "usageMetadata", "candidatesTokenCount")
                + JsonPath.number(answer, "usageMetadata", "thoughtsTokenCount");
        return new TokenUsage(prompt - cached, output, cached, 0);
    }
}
