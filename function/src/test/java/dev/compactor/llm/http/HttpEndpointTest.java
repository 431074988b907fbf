package dev.compactor.llm.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.llm.ProviderEnv;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpEndpointTest {
    private static final ProviderEnv NONE = new ProviderEnv(name -> null, Map::of);

    private static String uri(String provider, String path) {
        return HttpEndpoint.ALL.get(provider).uri(NONE, path).toString();
    }

    @Test
    void theLaterLettaProvidersDefaultToTheirVendorsAddresses() {
        assertThat(uri("ollama", "/chat/completions")).isEqualTo("http://localhost:11434/v1/chat/completions");
        assertThat(uri("vllm", "/chat/completions")).isEqualTo("http://localhost:8000/v1/chat/completions");
        assertThat(uri("lmstudio_openai", "/chat/completions")).isEqualTo("http://localhost:1234/api/v0/chat/completions");
        assertThat(uri("mistral", "/chat/completions")).isEqualTo("https://api.mistral.ai/v1/chat/completions");
        assertThat(uri("cerebras", "/chat/completions")).isEqualTo("https://api.cerebras.ai/v1/chat/completions");
        assertThat(uri("fireworks", "/chat/completions")).isEqualTo("https://api.fireworks.ai/inference/v1/chat/completions");
        assertThat(uri("minimax", "/v1/messages")).isEqualTo("https://api.minimax.io/anthropic/v1/messages");
        assertThat(uri("hugging-face", "/chat/completions")).isEqualTo("https://router.huggingface.co/v1/chat/completions");
    }

    @Test
    void aSelfHostedBaseUrlMayNameTheServerRootOrItsApiRoot() {
        for (String base : new String[] {"http://gpu:11434", "http://gpu:11434/", "http://gpu:11434/v1", "http://gpu:11434/v1/"}) {
            ProviderEnv env = new ProviderEnv(Map.of("OLLAMA_BASE_URL", base)::get, Map::of);
            assertThat(HttpEndpoint.ALL.get("ollama").uri(env, "/chat/completions").toString()).isEqualTo("http://gpu:11434/v1/chat/completions");
        }
        ProviderEnv lmstudio = new ProviderEnv(Map.of("LMSTUDIO_BASE_URL", "http://box:1234/api/v0")::get, Map::of);
        assertThat(HttpEndpoint.ALL.get("lmstudio_openai").uri(lmstudio, "/chat/completions").toString())
                .isEqualTo("http://box:1234/api/v0/chat/completions");
    }
}
