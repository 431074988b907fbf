package dev.compactor.local.providers;

import static dev.compactor.local.providers.ScriptedServer.json;
import static dev.compactor.local.providers.ScriptedServer.sse;
import static dev.compactor.local.providers.TestProviders.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.compaction.Compactor;
import dev.compactor.llm.ModelHandle;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The providers Letta added after the first set (Ollama, vLLM, LM Studio, Mistral, Cerebras,
 * Fireworks, MiniMax, Hugging Face): a compaction with each as the summarizer reaches the local
 * server on the vendor's path, with its auth header and the model named in the handle.
 */
class LettaLaterProvidersTest extends ProviderServerTest {

    private ScriptedServer.Recorded summarize(String handle, Map<String, String> env) {
        Compactor.Outcome outcome = SelfCompactionWireTest.compact(providers.summarizers(env, null), "all", handle,
                SelfCompactionWireTest.conversation("thanks"));
        assertThat(outcome.result().model()).isEqualTo(ModelHandle.parse(handle));
        return server.only();
    }

    @Test
    void ollamaIsCalledAtItsOpenAiLayerWithoutAKey() {
        server.then(json(200, OpenAiChatTest.ANSWER));

        ScriptedServer.Recorded sent = summarize("ollama/qwen3:8b", Map.of("OLLAMA_BASE_URL", server.uri().toString()));

        assertThat(sent.path()).isEqualTo("/v1/chat/completions");
        assertThat(sent.header("authorization")).isNull();
        assertThat(sent.json()).containsEntry("model", "qwen3:8b").containsEntry("max_tokens", 4096L);
    }

    @Test
    void vllmTakesItsBaseWithOrWithoutV1AndAnOptionalKey() {
        server.then(json(200, OpenAiChatTest.ANSWER));

        ScriptedServer.Recorded sent = summarize("vllm/Qwen/Qwen3-32B", Map.of("VLLM_API_BASE", server.uri() + "/v1/",
                "VLLM_API_KEY", "token-vllm"));

        assertThat(sent.path()).isEqualTo("/v1/chat/completions");
        assertThat(sent.header("authorization")).isEqualTo("Bearer token-vllm");
        assertThat(sent.json()).containsEntry("model", "Qwen/Qwen3-32B");
    }

    @Test
    void lmStudioIsCalledOnItsRestApiAsLettaCallsIt() {
        server.then(json(200, OpenAiChatTest.ANSWER));

        ScriptedServer.Recorded sent = summarize("lmstudio_openai/qwen2.5-7b-instruct", Map.of("LMSTUDIO_BASE_URL", server.uri() + "/v1"));

        assertThat(sent.path()).isEqualTo("/api/v0/chat/completions");
        assertThat(sent.header("authorization")).isNull();
        assertThat(sent.json()).containsEntry("model", "qwen2.5-7b-instruct");
    }

    @Test
    void mistralCerebrasFireworksAndHuggingFaceAreOpenAiCompatibleWithBearerKeys() {
        server.then(json(200, OpenAiChatTest.ANSWER));
        record Case(String handle, Map<String, String> env, String path, String key, String model) {}
        List<Case> cases = List.of(
                new Case("mistral/mistral-small-latest", Map.of("MISTRAL_API_KEY", "ms-key", "MISTRAL_BASE_URL", server.uri() + "/v1"),
                        "/v1/chat/completions", "ms-key", "mistral-small-latest"),
                new Case("cerebras/llama-3.3-70b", Map.of("CEREBRAS_API_KEY", "csk-key", "CEREBRAS_BASE_URL", server.uri() + "/v1"),
                        "/v1/chat/completions", "csk-key", "llama-3.3-70b"),
                new Case("fireworks/accounts/fireworks/models/llama-v3p3-70b-instruct", Map.of("FIREWORKS_API_KEY", "fw-key",
                        "FIREWORKS_API_BASE", server.uri() + "/inference/v1"), "/inference/v1/chat/completions", "fw-key",
                        "accounts/fireworks/models/llama-v3p3-70b-instruct"),
                new Case("hugging-face/meta-llama/Llama-3.3-70B-Instruct", Map.of("HF_TOKEN", "hf_key", "HF_BASE_URL", server.uri() + "/v1"),
                        "/v1/chat/completions", "hf_key", "meta-llama/Llama-3.3-70B-Instruct"));
        for (Case c : cases) {
            int before = server.requests().size();
            SelfCompactionWireTest.compact(providers.summarizers(c.env(), null), "all", c.handle(), SelfCompactionWireTest.conversation("thanks"));
            ScriptedServer.Recorded sent = server.requests().get(before);
            assertThat(sent.path()).as(c.handle()).isEqualTo(c.path());
            assertThat(sent.header("authorization")).as(c.handle()).isEqualTo("Bearer " + c.key());
            assertThat(sent.json()).as(c.handle()).containsEntry("model", c.model()).containsKey("max_tokens");
        }
    }

    @Test
    void miniMaxSpeaksAnthropicMessagesAtItsAnthropicAddress() {
        server.then(sse(AnthropicMessagesTest.STREAM));

        ScriptedServer.Recorded sent = summarize("minimax/MiniMax-M2", Map.of("MINIMAX_API_KEY", "mm-key",
                "MINIMAX_BASE_URL", server.uri() + "/anthropic"));

        assertThat(sent.path()).isEqualTo("/anthropic/v1/messages");
        assertThat(sent.header("x-api-key")).isEqualTo("mm-key");
        assertThat(sent.header("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(sent.json()).containsEntry("model", "MiniMax-M2").containsEntry("stream", true);
    }

    @Test
    void modelSettingsReachThemAsLettasClientsReadThem() {
        server.then(json(200, OpenAiChatTest.ANSWER)).then(sse(AnthropicMessagesTest.STREAM));

        // Letta has no settings class for these: any class's fields apply, and the client reads its own.
        providers.summarizers(Map.of("OLLAMA_BASE_URL", server.uri().toString()), null).forModel(ModelHandle.parse("ollama/qwen3:8b"))
                .summarize(request("ollama/qwen3:8b", "{\"provider_type\":\"openai\",\"temperature\":0.2,\"max_output_tokens\":900,"
                        + "\"reasoning\":{\"reasoning_effort\":\"high\"},\"response_format\":{\"type\":\"json_object\"}}"));
        providers.summarizers(Map.of("MINIMAX_API_KEY", "mm-key", "MINIMAX_BASE_URL", server.uri() + "/anthropic"), null)
                .forModel(ModelHandle.parse("minimax/MiniMax-M2"))
                .summarize(request("minimax/MiniMax-M2", "{\"provider_type\":\"anthropic\",\"temperature\":0.5,\"max_output_tokens\":900,"
                        + "\"effort\":\"low\",\"verbosity\":\"low\"}"));

        assertThat(server.requests()).hasSize(2);
        assertThat(server.requests().get(0).json()).containsEntry("temperature", 0.2).containsEntry("max_tokens", 900L)
                .containsEntry("response_format", Map.of("type", "json_object")).doesNotContainKey("reasoning_effort");
        assertThat(server.requests().get(1).json()).containsEntry("temperature", 0.5).containsEntry("max_tokens", 900L)
                .doesNotContainKeys("output_config", "verbosity");
    }
}
