package dev.compactor.llm.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.compactor.conversation.ModelSettings;
import dev.compactor.llm.ModelApi;
import dev.compactor.llm.ModelReply;
import dev.compactor.llm.PromptLayout;
import dev.compactor.llm.ProviderEnv;
import dev.compactor.llm.ProviderErrors;
import dev.compactor.llm.SummaryRequest;
import dev.compactor.llm.TokenUsage;
import dev.compactor.llm.render.GeminiContext;
import dev.compactor.llm.render.NativeContext;
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
 * {@code model}; thought parts are left out of the summary. A self-compaction sends the agent's
 * context with {@code functionCall}/{@code functionResponse} parts, byte-stable for Gemini's
 * implicit prefix cache (reported as {@code cachedContentTokenCount}).
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
        GeminiContext context;
        if (request.context() != null) {
            context = NativeContext.gemini(request.context());
        } else {
            PromptLayout layout = PromptLayout.of(request, true);
            List<GeminiContext.Content> contents = new ArrayList<>();
            for (PromptLayout.Turn turn : layout.turns()) {
                contents.add(new GeminiContext.Content("assistant".equals(turn.role()) ? "model" : "user",
                        List.of(GeminiContext.Part.text(turn.text()))));
            }
            context = new GeminiContext(layout.system() == null ? null
                    : new GeminiContext.Content(null, List.of(GeminiContext.Part.text(layout.system()))), contents);
        }
        GenerateRequest body = new GenerateRequest(context.systemInstruction(), context.contents(), generationConfig(settings));

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
        return reply(http.postJson(provider, uri, headers, body, deadline, GenerateResponse.class));
    }

    private static GenerationConfig generationConfig(ModelSettings settings) {
        ThinkingConfig thinking = null;
        ModelSettings.ThinkingConfig requested = settings.thinkingConfig();
        if (requested != null) {
            thinking = new ThinkingConfig(requested.includeThoughts(), requested.thinkingBudget());
        }
        String mimeType = null;
        Object schema = null;
        ModelSettings.ResponseFormat format = settings.outputFormat();
        if (format != null && !"text".equals(format.type())) {
            mimeType = "application/json";
            Map<String, Object> jsonSchema = format.jsonSchema();
            if (jsonSchema != null) {
                schema = jsonSchema.containsKey("schema") ? jsonSchema.get("schema") : jsonSchema;
            }
        }
        return new GenerationConfig(settings.outputLimit(), settings.temperature(), thinking, mimeType, schema);
    }

    private ModelReply reply(GenerateResponse answer) {
        TokenUsage usage = usage(answer.usageMetadata());
        if (answer.promptFeedback() != null && answer.promptFeedback().blockReason() != null) {
            return new ModelReply("", ModelReply.Stop.FILTERED, usage);
        }
        if (answer.candidates() == null || answer.candidates().isEmpty() || answer.candidates().get(0) == null) {
            throw ProviderErrors.malformed(provider, "no candidates", null);
        }
        GenerateResponse.Candidate candidate = answer.candidates().get(0);
        StringBuilder text = new StringBuilder();
        if (candidate.content() != null && candidate.content().parts() != null) {
            for (GenerateResponse.Part part : candidate.content().parts()) {
                if (part != null && !Boolean.TRUE.equals(part.thought()) && part.text() != null) {
                    text.append(part.text());
                }
            }
        }
        String finish = candidate.finishReason();
        ModelReply.Stop stop = "MAX_TOKENS".equals(finish) ? ModelReply.Stop.MAX_TOKENS
                : FILTER_REASONS.contains(finish) ? ModelReply.Stop.FILTERED
                : ModelReply.Stop.COMPLETE;
        return new ModelReply(text.toString(), stop, usage);
    }

    private static TokenUsage usage(GenerateResponse.UsageMetadata counted) {
        if (counted == null) {
            return new TokenUsage(0, 0, 0, 0);
        }
        long cached = (long) counted.cachedContentTokenCount();
        return new TokenUsage((long) counted.promptTokenCount() - cached,
                (long) counted.candidatesTokenCount() + (long) counted.thoughtsTokenCount(), cached, 0);
    }

    /** The request body. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record GenerateRequest(GeminiContext.Content systemInstruction, List<GeminiContext.Content> contents,
                           GenerationConfig generationConfig) {}

    /** @param responseJsonSchema the caller's JSON Schema, passed through: free-form */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record GenerationConfig(int maxOutputTokens, Double temperature, ThinkingConfig thinkingConfig, String responseMimeType,
                            Object responseJsonSchema) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ThinkingConfig(Boolean includeThoughts, Long thinkingBudget) {}

    /** The part of a {@code generateContent} answer a summary reads; counts as JSON numbers of any size (see UsageCheck). */
    record GenerateResponse(PromptFeedback promptFeedback, List<Candidate> candidates, UsageMetadata usageMetadata) {
        record PromptFeedback(String blockReason) {}

        record Candidate(Content content, String finishReason) {}

        record Content(List<Part> parts) {}

        record Part(String text, Boolean thought) {}

        record UsageMetadata(double promptTokenCount, double cachedContentTokenCount, double candidatesTokenCount,
                             double thoughtsTokenCount) {}
    }
}
