package dev.compactor.llm;

import dev.compactor.llm.bedrock.BedrockConverseApi;
import dev.compactor.llm.http.AnthropicMessagesApi;
import dev.compactor.llm.http.GeminiApi;
import dev.compactor.llm.http.HttpEndpoint;
import dev.compactor.llm.http.HttpProvider;
import dev.compactor.llm.http.HttpTransport;
import dev.compactor.llm.http.OpenAiChatApi;
import dev.compactor.llm.http.OpenAiResponsesApi;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * Finds the summarizer for a model handle. Adapters are created on first use, so a container
 * that only ever summarises with one provider initialises only that one (a Bedrock-only
 * container loads none of the HTTP dialects), and the JDK HTTP client they share is built only
 * when the first of them needs it.
 */
public final class Summarizers implements AutoCloseable {
    /** Every provider a Letta user can name in a handle, plus {@code local} for the offline summarizer. */
    public static final List<String> KNOWN_PROVIDERS = List.of("local", "bedrock", "anthropic", "openai", "azure",
            "google_ai", "google_vertex", "xai", "groq", "deepseek", "together", "openrouter", "sglang", "zai",
            "moonshot", "moonshot_coding", "baseten", "chatgpt_oauth");
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /**
     * How this deployment reaches Bedrock.
     *
     * @param endpoint the endpoint override, or null for AWS's regional endpoint
     */
    public record BedrockAccess(String region, URI endpoint, AwsCredentialsProvider credentials) {}

    private final ProviderEnv env;
    private final FailoverChains failover;
    private final boolean extractiveLastResort;
    private final Retrier retrier;
    private final BedrockAccess bedrock;
    private final Clock clock;
    private final Summarizer extractive = new ExtractiveSummarizer();
    private final Map<String, Summarizer> adapters = new ConcurrentHashMap<>();
    private volatile HttpClient http;

    /**
     * @param extractiveLastResort whether the offline summarizer stands in when every model failed
     */
    public Summarizers(ProviderEnv env, FailoverChains failover, boolean extractiveLastResort, Retrier retrier,
                       BedrockAccess bedrock, Clock clock) {
        this.env = env;
        this.failover = failover;
        this.extractiveLastResort = extractiveLastResort;
        this.retrier = retrier;
        this.bedrock = bedrock;
        this.clock = clock;
    }

    /**
     * The summarizer for {@code handle}, with its failover chain and (when enabled) the extractive last resort.
     *
     * @throws LlmException {@code UNSUPPORTED_PROVIDER} for a provider or local model that does not exist
     */
    public Summarizer forModel(ModelHandle handle) {
        requireKnown(handle);
        if (ExtractiveSummarizer.HANDLE.equals(handle)) {
            return extractive;
        }
        List<ModelHandle> alternates = failover.after(handle);
        if (alternates.isEmpty() && !extractiveLastResort) {
            return adapter(handle);
        }
        return new FailoverSummarizer(alternates, this::adapter, extractiveLastResort ? extractive : null, clock);
    }

    /**
     * Builds the adapter that serves {@code handle} (its SDK or HTTP client) without calling the
     * model, so that a SnapStart snapshot holds it ready.
     */
    public void prime(ModelHandle handle) {
        adapter(handle);
    }

    /** Fails fast (at startup, for configured handles) on a handle this deployment cannot serve. */
    public static void requireKnown(ModelHandle handle) {
        if (!KNOWN_PROVIDERS.contains(handle.provider())) {
            throw new LlmException(LlmException.Kind.UNSUPPORTED_PROVIDER, handle.provider(),
                    "Unknown provider '" + handle.provider() + "' in model handle '" + handle
                            + "'. Supported providers: " + String.join(", ", KNOWN_PROVIDERS));
        }
        if ("local".equals(handle.provider()) && !ExtractiveSummarizer.HANDLE.equals(handle)) {
            throw new LlmException(LlmException.Kind.UNSUPPORTED_PROVIDER, handle.provider(),
                    "Unknown local model '" + handle.model() + "'. The local provider offers: " + ExtractiveSummarizer.HANDLE);
        }
    }

    private Summarizer adapter(ModelHandle handle) {
        requireKnown(handle);
        if (ExtractiveSummarizer.HANDLE.equals(handle)) {
            return extractive;
        }
        // OpenAI models served only by the Responses API get their own adapter.
        String key = "openai".equals(handle.provider()) && ModelCatalog.needsResponsesApi(handle.model())
                ? "openai/responses" : handle.provider();
        return adapters.computeIfAbsent(key, k -> new RemoteSummarizer(handle.provider(), create(k), retrier));
    }

    private ModelApi create(String key) {
        return switch (key) {
            case "bedrock" -> BedrockConverseApi.create(http(), bedrock.region(), bedrock.endpoint(), bedrock.credentials());
            case "anthropic", "moonshot_coding" -> new AnthropicMessagesApi(httpProvider(key));
            case "google_ai" -> GeminiApi.googleAi(env, transport());
            case "google_vertex" -> GeminiApi.vertex(env, transport());
            case "chatgpt_oauth" -> new OpenAiResponsesApi(httpProvider(key));
            case "openai/responses" -> new OpenAiResponsesApi(httpProvider("openai"));
            default -> new OpenAiChatApi(httpProvider(key));
        };
    }

    private HttpProvider httpProvider(String provider) {
        return new HttpProvider(HttpEndpoint.ALL.get(provider), env, transport());
    }

    private HttpTransport transport() {
        return new HttpTransport(http());
    }

    /** Closes the shared HTTP client, if an adapter built it (a Lambda container never does; tests and the local runtime do). */
    @Override
    public synchronized void close() {
        if (http != null) {
            http.close();
        }
    }

    /** One JDK HTTP client for every provider: HTTP/1.1, as streams need no multiplexing and plain-HTTP servers no upgrade. */
    private HttpClient http() {
        HttpClient client = http;
        if (client == null) {
            synchronized (this) {
                if (http == null) {
                    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT).build();
                }
                client = http;
            }
        }
        return client;
    }
}
