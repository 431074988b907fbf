package dev.compactor.llm;

/**
 * Builds the client of one model API. Implemented beside the adapters
 * ({@code llm.providers.ProviderApis}) so this package never imports them.
 */
public interface ModelApis {
    /**
     * @param key a provider of {@link Summarizers#KNOWN_PROVIDERS} other than {@code local}, or
     *     {@code openai/responses} for OpenAI models only the Responses API serves
     */
    ModelApi create(String key);
}
