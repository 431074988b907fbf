package dev.compactor.local.providers;

import static dev.compactor.local.providers.ScriptedServer.json;
import static dev.compactor.local.providers.TestProviders.ACK;
import static dev.compactor.local.providers.TestProviders.PROMPT;
import static dev.compactor.local.providers.TestProviders.TRANSCRIPT;
import static dev.compactor.local.providers.TestProviders.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.compactor.support.Json;
import dev.compactor.llm.LlmException;
import dev.compactor.llm.ModelHandle;
import dev.compactor.llm.Summarizer;
import dev.compactor.llm.SummaryResult;
import dev.compactor.llm.TokenUsage;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The OpenAI-compatible Chat Completions dialect against a local server speaking OpenAI's JSON and errors. */
class OpenAiChatTest extends ProviderServerTest {
    static final String ANSWER = """
            {"id":"chatcmpl-9x","object":"chat.completion","created":1767225600,"model":"gpt-5-mini-2025-08-07",
             "choices":[{"index":0,"message":{"role":"assistant","content":"I deployed the api to staging (build 4411).",
               "refusal":null,"annotations":[]},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":1200,"completion_tokens":380,"total_tokens":1580,
               "prompt_tokens_details":{"cached_tokens":1024,"audio_tokens":0},
               "completion_tokens_details":{"reasoning_tokens":320,"audio_tokens":0}}}""";


    private Summarizer summarizer(String handle, Map<String, String> env) {
        return providers.summarizers(env, null).forModel(ModelHandle.parse(handle));
    }

    /** OpenAI's reasoning models (o-series, GPT-5) go through the Responses API, as Letta sends them; the others come here. */
    private Summarizer openai() {
        return summarizer("openai/gpt-4.1-mini", Map.of("OPENAI_API_KEY", "sk-test", "OPENAI_BASE_URL", server.uri() + "/v1"));
    }

    @Test
    void sendsLettasLayoutWithTheTokenLimitOpenAiDocuments() {
        server.then(json(200, ANSWER));

        SummaryResult result = openai().summarize(request("openai/gpt-4.1-mini",
                "{\"provider_type\":\"openai\",\"max_output_tokens\":4321}", true, Duration.ofSeconds(20)));

        ScriptedServer.Recorded sent = server.only();
        assertThat(sent.path()).isEqualTo("/v1/chat/completions");
        assertThat(sent.header("authorization")).isEqualTo("Bearer sk-test");
        assertThat(sent.header("content-type")).isEqualTo("application/json");
        assertThat(sent.json()).isEqualTo(Json.parseObject("""
                {"model":"gpt-4.1-mini",
                 "messages":[{"role":"system","content":%s},{"role":"assistant","content":%s},{"role":"user","content":%s}],
                 "max_completion_tokens":4321}""".formatted(Json.write(PROMPT), Json.write(ACK),
                Json.write(TRANSCRIPT))));
        assertThat(result.text()).isEqualTo("I deployed the api to staging (build 4411).");
        assertThat(result.usage()).isEqualTo(new TokenUsage(176, 380, 1024, 0));
    }

    @Test
    void otherVendorsGetMaxTokensTemperatureAndResponseFormatAtTheirOwnBaseUrl() {
        server.then(json(200, ANSWER));

        summarizer("groq/llama-3.3-70b-versatile", Map.of("GROQ_API_KEY", "gsk-test", "GROQ_BASE_URL", server.uri() + "/openai/v1/"))
                .summarize(request("groq/llama-3.3-70b-versatile", "{\"provider_type\":\"groq\",\"temperature\":0.3,"
                        + "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"summary\",\"schema\":{\"type\":\"object\"}}}}"));

        ScriptedServer.Recorded sent = server.only();
        assertThat(sent.path()).isEqualTo("/openai/v1/chat/completions");
        assertThat(sent.header("authorization")).isEqualTo("Bearer gsk-test");
        assertThat(sent.json()).containsEntry("max_tokens", 4096L).containsEntry("temperature", 0.3)
                .containsEntry("response_format", Map.of("type", "json_schema", "json_schema",
                        Map.of("name", "summary", "schema", Map.of("type", "object"))))
                .doesNotContainKey("max_completion_tokens");
    }

    @Test
    void azureAddressesTheDeploymentWithItsApiVersionAndKeyHeader() {
        server.then(json(200, ANSWER));

        summarizer("azure/summaries-prod", Map.of("AZURE_OPENAI_API_KEY", "az-key", "AZURE_OPENAI_ENDPOINT", server.uri().toString(),
                "OPENAI_API_VERSION", "2025-01-01-preview"))
                .summarize(request("azure/summaries-prod", "{\"provider_type\":\"azure\",\"temperature\":0}"));

        ScriptedServer.Recorded sent = server.only();
        assertThat(sent.path()).isEqualTo("/openai/deployments/summaries-prod/chat/completions");
        assertThat(sent.query()).isEqualTo("api-version=2025-01-01-preview");
        assertThat(sent.header("api-key")).isEqualTo("az-key");
        assertThat(sent.header("authorization")).isNull();
        assertThat(sent.json()).doesNotContainKey("model").containsEntry("temperature", 0.0).containsKey("max_completion_tokens");
    }

    @Test
    void reasoningIsDroppedForAModelThatDoesNotReasonAsLettaDropsIt() {
        server.then(json(200, ANSWER));

        summarizer("openai/gpt-4o-mini", Map.of("OPENAI_API_KEY", "sk-test", "OPENAI_BASE_URL", server.uri() + "/v1"))
                .summarize(request("openai/gpt-4o-mini", "{\"provider_type\":\"openai\",\"temperature\":0.05,"
                        + "\"reasoning\":{\"reasoning_effort\":\"high\"}}"));

        assertThat(server.only().path()).isEqualTo("/v1/chat/completions");
        assertThat(server.only().json()).containsEntry("temperature", 0.05).doesNotContainKey("reasoning_effort");
    }

    @Test
    void aRateLimitIsRetriedAfterTheDelayTheProviderAsksFor() {
        server.then(json(429, "{\"error\":{\"message\":\"Rate limit reached for gpt-4.1-mini\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}",
                Map.of("retry-after-ms", "20"))).then(json(200, ANSWER));

        assertThat(openai().summarize(request("openai/gpt-4.1-mini", null)).text()).startsWith("I deployed");
        assertThat(server.requests()).hasSize(2);
        assertThat(providers.sleeps).containsExactly(Duration.ofMillis(20));
    }

    @Test
    void providerErrorsMapToLettasKinds() {
        assertKind(429, "{\"error\":{\"message\":\"You exceeded your current quota\",\"type\":\"insufficient_quota\",\"code\":\"insufficient_quota\"}}",
                LlmException.Kind.INSUFFICIENT_CREDITS, 1);
        assertKind(401, "{\"error\":{\"message\":\"Incorrect API key provided\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}",
                LlmException.Kind.AUTHENTICATION, 1);
        assertKind(400, "{\"error\":{\"message\":\"This model's maximum context length is 128000 tokens.\",\"type\":\"invalid_request_error\","
                + "\"code\":\"context_length_exceeded\"}}", LlmException.Kind.CONTEXT_WINDOW_EXCEEDED, 1);
        assertKind(400, "{\"error\":{\"message\":\"Unsupported value: 'reasoning_effort'\",\"type\":\"invalid_request_error\"}}",
                LlmException.Kind.BAD_REQUEST, 1);
        assertKind(503, "{\"error\":{\"message\":\"The server is overloaded\",\"type\":\"server_error\"}}", LlmException.Kind.OVERLOADED, 3);
        assertKind(502, "<html>Bad gateway</html>", LlmException.Kind.PROVIDER_ERROR, 3);
    }

    private void assertKind(int status, String body, LlmException.Kind kind, int attempts) {
        int before = server.requests().size();
        server.then(json(status, body));
        assertThatThrownBy(() -> openai().summarize(request("openai/gpt-4.1-mini", null)))
                .isInstanceOfSatisfying(LlmException.class, e -> {
                    assertThat(e.kind()).isEqualTo(kind);
                    assertThat(e.getMessage()).startsWith("openai answered " + status);
                });
        assertThat(server.requests().size() - before).isEqualTo(attempts);
    }

    @Test
    void outputsThatCannotBeASummaryAreRejected() {
        server.then(json(200, ANSWER.replace("\"stop\"", "\"length\"")));
        assertThatThrownBy(() -> openai().summarize(request("openai/gpt-4.1-mini", null)))
                .isInstanceOfSatisfying(LlmException.class, e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.TRUNCATED_OUTPUT));

        server.then(json(200, ANSWER.replace("\"I deployed the api to staging (build 4411).\"", "null")));
        assertThatThrownBy(() -> openai().summarize(request("openai/gpt-4.1-mini", null)))
                .isInstanceOfSatisfying(LlmException.class, e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.EMPTY_OUTPUT));

        server.then(json(200, "{\"choices\": [ {\"message\""));
        assertThatThrownBy(() -> openai().summarize(request("openai/gpt-4.1-mini", null)))
                .isInstanceOfSatisfying(LlmException.class, e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.PROVIDER_ERROR));
        assertThat(server.requests()).hasSize(3);
    }

    @Test
    void aMissingKeyFailsBeforeAnyCall() {
        assertThatThrownBy(() -> summarizer("xai/grok-4", Map.of("XAI_BASE_URL", server.uri().toString()))
                .summarize(request("xai/grok-4", null)))
                .isInstanceOfSatisfying(LlmException.class, e -> {
                    assertThat(e.kind()).isEqualTo(LlmException.Kind.AUTHENTICATION);
                    assertThat(e.getMessage()).contains("XAI_API_KEY is not set");
                });
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void aSilentServerTimesOutAtTheDeadline() {
        server.then(ScriptedServer.silence());

        assertThatThrownBy(() -> openai().summarize(request("openai/gpt-4.1-mini", null, false, Duration.ofMillis(1200))))
                .isInstanceOfSatisfying(LlmException.class, e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.TIMEOUT));
        assertThat(server.requests()).hasSize(1);
    }
}
