package dev.compactor.llm;

import java.util.Map;

/** What we know about models without asking their providers. */
public final class ModelCatalog {
    /** Letta's fallback context window for a model it knows nothing about. */
    public static final int DEFAULT_CONTEXT_WINDOW = 128_000;

    /** Letta's light per-provider summarizer defaults (used when nothing else names a model). */
    private static final Map<String, String> PROVIDER_DEFAULT_SUMMARIZER = Map.of(
            "anthropic", "anthropic/claude-haiku-4-5",
            "openai", "openai/gpt-5-mini",
            "google_ai", "google_ai/gemini-2.5-flash");

    private ModelCatalog() {}

    /** Letta's default summarizer for an agent on {@code provider}, or null when Letta has none. */
    public static ModelHandle defaultSummarizerFor(String provider) {
        String handle = PROVIDER_DEFAULT_SUMMARIZER.get(provider);
        return handle == null ? null : ModelHandle.parse(handle);
    }

    public static int contextWindow(ModelHandle handle) {
        if (ExtractiveSummarizer.HANDLE.equals(handle)) {
            return Integer.MAX_VALUE;
        }
        return DEFAULT_CONTEXT_WINDOW;
    }
}
