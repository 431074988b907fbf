package dev.compactor.local.providers;

import static dev.compactor.local.providers.ScriptedServer.json;
import static dev.compactor.local.providers.TestProviders.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.compactor.llm.ExtractiveSummarizer;
import dev.compactor.llm.FailoverChains;
import dev.compactor.llm.LlmException;
import dev.compactor.llm.ModelHandle;
import dev.compactor.llm.SummaryResult;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Letta's default failover (Anthropic to Bedrock) and the extractive last resort, with both providers served locally. */
class FailoverTest {
    static final String ANTHROPIC = "anthropic/claude-haiku-4-5";
    static final String OVERLOADED = "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}";

    private final TestProviders providers = new TestProviders();
    private ScriptedServer anthropic;
    private ScriptedServer bedrock;
    private Map<String, String> env;

    @BeforeEach
    void start() throws IOException {
        anthropic = new ScriptedServer();
        bedrock = new ScriptedServer();
        env = Map.of("ANTHROPIC_API_KEY", "sk-ant", "ANTHROPIC_BASE_URL", anthropic.uri().toString());
    }

    @AfterEach
    void stop() {
        anthropic.close();
        bedrock.close();
    }

    @Test
    void anOverloadedAnthropicFailsOverToBedrockAndTheResultSaysSo() {
        anthropic.then(json(529, OVERLOADED));
        bedrock.then(json(200, BedrockConverseTest.ANSWER));

        SummaryResult result = providers.summarizers(env, bedrock.uri(), FailoverChains.DEFAULT, false).forModel(ModelHandle.parse(ANTHROPIC))
                .summarize(request(ANTHROPIC, "{\"provider_type\":\"anthropic\",\"max_output_tokens\":2000,\"temperature\":0.1}"));

        assertThat(anthropic.requests()).hasSize(3);
        assertThat(result.model()).hasToString(BedrockConverseTest.MODEL);
        assertThat(result.text()).startsWith("I deployed");
        assertThat(bedrock.only().json()).containsEntry("inferenceConfig", Map.of("maxTokens", 2000L));
        assertThat(result.failover().attempts()).extracting(a -> a.model().toString(), a -> a.kind(), a -> a.message())
                .containsExactly(tuple(ANTHROPIC, LlmException.Kind.OVERLOADED, "anthropic answered 529: Overloaded"));
        assertThat(result.failover().settingsNotCarried()).containsExactly("temperature");
        assertThat(result.model().provider()).isEqualTo("bedrock");
    }

    @Test
    void aBadRequestDoesNotFailOver() {
        anthropic.then(json(400, "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"max_tokens: too large\"}}"));

        assertThatThrownBy(() -> providers.summarizers(env, bedrock.uri(), FailoverChains.DEFAULT, true).forModel(ModelHandle.parse(ANTHROPIC))
                .summarize(request(ANTHROPIC, null)))
                .isInstanceOfSatisfying(LlmException.class, e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.BAD_REQUEST));
        assertThat(bedrock.requests()).isEmpty();
    }

    @Test
    void whenEveryModelFailsTheRequestedModelsErrorIsReported() {
        anthropic.then(json(529, OVERLOADED));
        bedrock.then(json(503, "{\"message\":\"Bedrock is unable to process your request.\"}", Map.of("x-amzn-ErrorType", "ServiceUnavailableException")));

        assertThatThrownBy(() -> providers.summarizers(env, bedrock.uri(), FailoverChains.DEFAULT, false).forModel(ModelHandle.parse(ANTHROPIC))
                .summarize(request(ANTHROPIC, null)))
                .isInstanceOfSatisfying(LlmException.class, e -> {
                    assertThat(e.kind()).isEqualTo(LlmException.Kind.OVERLOADED);
                    assertThat(e.provider()).isEqualTo("anthropic");
                });
        assertThat(bedrock.requests()).hasSize(3);
    }

    @Test
    void theExtractiveSummarizerIsTheLastResortWhenEnabled() {
        anthropic.then(json(529, OVERLOADED));
        bedrock.then(json(500, "{\"message\":\"Internal\"}", Map.of("x-amzn-ErrorType", "InternalServerException")));

        SummaryResult result = providers.summarizers(env, bedrock.uri(), FailoverChains.DEFAULT, true).forModel(ModelHandle.parse(ANTHROPIC))
                .summarize(request(ANTHROPIC, "{\"provider_type\":\"anthropic\",\"max_output_tokens\":2000}"));

        assertThat(result.source()).isEqualTo(SummaryResult.EXTRACTIVE);
        assertThat(result.model()).isEqualTo(ExtractiveSummarizer.HANDLE);
        // the span is two short turns: half of it holds the request, not the answer too
        assertThat(result.text()).contains("deploy api to staging");
        assertThat(result.failover().settingsNotCarried()).containsExactly("max_output_tokens");
        assertThat(result.failover().attempts()).extracting(a -> a.model().toString() + ":" + a.kind())
                .containsExactly(ANTHROPIC + ":OVERLOADED", BedrockConverseTest.MODEL + ":PROVIDER_ERROR");
    }

    @Test
    void eachModelOfTheChainGetsAShareOfTheTimeLeft() {
        anthropic.then(ScriptedServer.silence());
        bedrock.then(json(200, BedrockConverseTest.ANSWER));

        SummaryResult result = providers.summarizers(env, bedrock.uri(), FailoverChains.DEFAULT, false).forModel(ModelHandle.parse(ANTHROPIC))
                .summarize(request(ANTHROPIC, null, false, Duration.ofSeconds(4)));

        assertThat(result.model()).hasToString(BedrockConverseTest.MODEL);
        assertThat(result.failover().attempts()).singleElement().satisfies(a -> assertThat(a.kind()).isEqualTo(LlmException.Kind.TIMEOUT));
    }
}
