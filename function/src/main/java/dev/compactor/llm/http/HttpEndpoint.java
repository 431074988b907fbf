package dev.compactor.llm.http;

import dev.compactor.llm.ProviderEnv;
import java.net.URI;
import java.util.Map;

/**
 * Where an HTTP provider lives and which key it takes, by the vendor's own variable names; the
 * README's provider table lists the same.
 *
 * @param defaultBaseUrl the vendor's public base URL, or null when the deployment must name one
 * @param keyRequired false for self-hosted servers that may run without a key (SGLang, Ollama, vLLM, LM Studio)
 * @param apiRoot the path the API lives under when the configured base URL is the server's root,
 *     as Letta completes it ({@code /v1} for Ollama and vLLM, {@code /api/v0} for LM Studio); a
 *     base URL given with {@code /v1} is taken either way. Null: the base URL is used as given.
 */
public record HttpEndpoint(String provider, String defaultBaseUrl, String baseUrlVariable, String keyVariable,
                           boolean keyRequired, String apiRoot) {

    public static final Map<String, HttpEndpoint> ALL = Map.ofEntries(
            entry("openai", "https://api.openai.com/v1", "OPENAI_BASE_URL", "OPENAI_API_KEY", true),
            entry("azure", null, "AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_API_KEY", true),
            entry("xai", "https://api.x.ai/v1", "XAI_BASE_URL", "XAI_API_KEY", true),
            entry("groq", "https://api.groq.com/openai/v1", "GROQ_BASE_URL", "GROQ_API_KEY", true),
            entry("deepseek", "https://api.deepseek.com/v1", "DEEPSEEK_BASE_URL", "DEEPSEEK_API_KEY", true),
            entry("together", "https://api.together.xyz/v1", "TOGETHER_BASE_URL", "TOGETHER_API_KEY", true),
            entry("openrouter", "https://openrouter.ai/api/v1", "OPENROUTER_BASE_URL", "OPENROUTER_API_KEY", true),
            entry("sglang", "http://localhost:30000/v1", "SGLANG_BASE_URL", "SGLANG_API_KEY", false),
            entry("zai", "https://api.z.ai/api/paas/v4", "ZAI_BASE_URL", "ZAI_API_KEY", true),
            entry("moonshot", "https://api.moonshot.ai/v1", "MOONSHOT_BASE_URL", "MOONSHOT_API_KEY", true),
            entry("baseten", "https://inference.baseten.co/v1", "BASETEN_BASE_URL", "BASETEN_API_KEY", true),
            entry("chatgpt_oauth", "https://chatgpt.com/backend-api/codex", "CHATGPT_BASE_URL", "CHATGPT_ACCESS_TOKEN", true),
            entry("anthropic", "https://api.anthropic.com", "ANTHROPIC_BASE_URL", "ANTHROPIC_API_KEY", true),
            entry("moonshot_coding", "https://api.kimi.com/coding", "KIMI_BASE_URL", "KIMI_API_KEY", true),
            entry("google_ai", "https://generativelanguage.googleapis.com", "GOOGLE_GEMINI_BASE_URL", "GEMINI_API_KEY", true),
            // Providers Letta added later, by the variables its settings (or the vendor) name.
            local("ollama", "http://localhost:11434", "OLLAMA_BASE_URL", "OLLAMA_API_KEY", "/v1"),
            local("vllm", "http://localhost:8000", "VLLM_API_BASE", "VLLM_API_KEY", "/v1"),
            local("lmstudio_openai", "http://localhost:1234", "LMSTUDIO_BASE_URL", "LMSTUDIO_API_KEY", "/api/v0"),
            entry("mistral", "https://api.mistral.ai/v1", "MISTRAL_BASE_URL", "MISTRAL_API_KEY", true),
            entry("cerebras", "https://api.cerebras.ai/v1", "CEREBRAS_BASE_URL", "CEREBRAS_API_KEY", true),
            entry("fireworks", "https://api.fireworks.ai/inference/v1", "FIREWORKS_API_BASE", "FIREWORKS_API_KEY", true),
            entry("minimax", "https://api.minimax.io/anthropic", "MINIMAX_BASE_URL", "MINIMAX_API_KEY", true),
            entry("hugging-face", "https://router.huggingface.co/v1", "HF_BASE_URL", "HF_TOKEN", true));

    private static Map.Entry<String, HttpEndpoint> entry(String provider, String base, String baseVariable, String keyVariable,
                                                         boolean keyRequired) {
        return Map.entry(provider, new HttpEndpoint(provider, base, baseVariable, keyVariable, keyRequired, null));
    }

    /** A self-hosted server: its key is optional and its base URL may be the server's root. */
    private static Map.Entry<String, HttpEndpoint> local(String provider, String base, String baseVariable, String keyVariable,
                                                         String apiRoot) {
        return Map.entry(provider, new HttpEndpoint(provider, base, baseVariable, keyVariable, false, apiRoot));
    }

    /** {@code path} under the configured base URL (or the vendor's default). */
    public URI uri(ProviderEnv env, String path) {
        String base = stripSlash(defaultBaseUrl == null ? env.require(baseUrlVariable, provider) : env.get(baseUrlVariable, defaultBaseUrl));
        if (apiRoot != null) {
            String root = base.endsWith("/v1") ? base.substring(0, base.length() - "/v1".length()) : base;
            base = root.endsWith(apiRoot) ? root : root + apiRoot;
        }
        return URI.create(base + path);
    }

    /** The key, or null when none is configured and the provider can do without. */
    public String key(ProviderEnv env) {
        return keyRequired ? env.require(keyVariable, provider) : env.get(keyVariable);
    }

    static String stripSlash(String base) {
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }
}
