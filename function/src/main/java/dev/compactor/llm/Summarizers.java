package dev.compactor.llm;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the summarizer for a model handle. Adapters are created on first use (by
 * {@link ModelApis}), so a container that only ever summarises with one provider initialises only
 * that one.
 */
public final class Summarizers {
    /** Every provider a Letta user can name in a handle, plus {@code local} for the offline summarizer. */
    public static final List<String> KNOWN_PROVIDERS = List.of("local", "bedrock", "anthropic", "openai", "azure",
            "google_ai", "google_vertex", "xai", "groq", "deepseek", "together", "openrouter", "sglang", "zai",
            "moonshot", "moonshot_coding", "baseten", "chatgpt_oauth");

    private final ModelApis apis;
    private final FailoverChains failover;
    private final boolean extractiveLastResort;
    private final Retrier retrier;
    private final Clock clock;
    private final Summarizer extractive = new ExtractiveSummarizer();
    private final Map<String, Summarizer> adapters = new ConcurrentHashMap<>();

    /**
     * @param extractiveLastResort whether the offline summarizer stands in when every model failed
     */
    public Summarizers(ModelApis apis, FailoverChains failover, boolean extractiveLastResort, Retrier retrier, Clock clock) {
        this.apis = apis;
        this.failover = failover;
        this.extractiveLastResort = extractiveLastResort;
        this.retrier = retrier;
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
        // OpenAI models Letta calls through the Responses API get their own adapter.
        String key = "openai".equals(handle.provider()) && ModelCatalog.usesResponsesApi(handle.model())
                ? "openai/responses" : handle.provider();
        return adapters.computeIfAbsent(key, k -> new RemoteSummarizer(handle.provider(), apis.create(k), retrier));
    }
}
