package dev.compactor.llm;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the summarizer for a model handle. Adapters are created on first use, so a container
 * that only ever summarises with one provider initialises only that one.
 */
public final class Summarizers {
    /** Every provider a Letta user can name in a handle, plus {@code local} for the offline summarizer. */
    public static final List<String> KNOWN_PROVIDERS = List.of("local", "bedrock", "anthropic", "openai", "azure",
            "google_ai", "google_vertex", "xai", "groq", "deepseek", "together", "openrouter", "sglang", "zai",
            "moonshot", "moonshot_coding", "baseten", "chatgpt_oauth");
    /** The providers this build can call. */
    public static final List<String> AVAILABLE_PROVIDERS = List.of("local");

    private final Map<String, Summarizer> adapters = new ConcurrentHashMap<>();

    public Summarizer forModel(ModelHandle handle) {
        if (!KNOWN_PROVIDERS.contains(handle.provider())) {
            throw new LlmException(LlmException.Kind.UNSUPPORTED_PROVIDER, handle.provider(),
                    "Unknown provider '" + handle.provider() + "' in model handle '" + handle
                            + "'. Supported providers: " + String.join(", ", KNOWN_PROVIDERS));
        }
        if (!AVAILABLE_PROVIDERS.contains(handle.provider())) {
            throw new LlmException(LlmException.Kind.UNSUPPORTED_PROVIDER, handle.provider(),
                    "Provider '" + handle.provider() + "' is not available in this build yet. Available: "
                            + String.join(", ", AVAILABLE_PROVIDERS));
        }
        if (!ExtractiveSummarizer.HANDLE.equals(handle)) {
            throw new LlmException(LlmException.Kind.UNSUPPORTED_PROVIDER, handle.provider(),
                    "Unknown local model '" + handle.model() + "'. The local provider offers: " + ExtractiveSummarizer.HANDLE);
        }
        return adapters.computeIfAbsent(handle.provider(), p -> new ExtractiveSummarizer());
    }
}
