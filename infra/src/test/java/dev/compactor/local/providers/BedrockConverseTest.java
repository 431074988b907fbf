package dev.compactor.local.providers;

import static dev.compactor.local.providers.ScriptedServer.event;
import static dev.compactor.local.providers.ScriptedServer.eventStream;
import static dev.compactor.local.providers.ScriptedServer.json;
import static dev.compactor.local.providers.TestProviders.ACK;
import static dev.compactor.local.providers.TestProviders.PROMPT;
import static dev.compactor.local.providers.TestProviders.TRANSCRIPT;
import static dev.compactor.local.providers.TestProviders.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.compactor.app.Services;
import dev.compactor.support.Json;
import dev.compactor.llm.LlmException;
import dev.compactor.llm.Prices;
import dev.compactor.llm.ModelHandle;
import dev.compactor.llm.Summarizer;
import dev.compactor.llm.SummaryResult;
import dev.compactor.llm.TokenUsage;
import dev.compactor.support.Env;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Bedrock through the real SDK client (Converse and ConverseStream), signed with SigV4 and sent
 * to a local server named by {@code AWS_ENDPOINT_URL_BEDROCK_RUNTIME}, which answers with
 * Bedrock's JSON bodies, event-stream frames and errors.
 */
class BedrockConverseTest extends ProviderServerTest {
    static final String MODEL = "bedrock/us.anthropic.claude-haiku-4-5-20251001-v1:0";
    static final String PATH = "/model/us.anthropic.claude-haiku-4-5-20251001-v1%3A0";
    static final String ANSWER = """
            {"output":{"message":{"role":"assistant","content":[{"text":"I deployed the api to staging (build 4411)."}]}},
             "stopReason":"end_turn","usage":{"inputTokens":812,"outputTokens":14,"totalTokens":826,
             "cacheReadInputTokens":0,"cacheWriteInputTokens":0},"metrics":{"latencyMs":640}}""";
    static final String THROTTLED = "{\"message\":\"Too many requests, please wait before trying again.\"}";


    private Summarizer summarizer() {
        return providers.summarizers(Map.of(), server.uri()).forModel(ModelHandle.parse(MODEL));
    }

    @Test
    void conversesWithTheRequestedSettingsThroughTheEndpointOverrideSignedWithSigV4() {
        server.then(json(200, ANSWER));
        Env env = new Env(Map.of("AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", TestProviders.CREDENTIALS.accessKeyId(),
                "AWS_SECRET_ACCESS_KEY", TestProviders.CREDENTIALS.secretAccessKey(),
                "AWS_ENDPOINT_URL_BEDROCK_RUNTIME", server.uri().toString(), "SUMMARIZER_FAILOVER", "none"));

        SummaryResult result = Services.summarizers(env).forModel(ModelHandle.parse(MODEL)).summarize(request(MODEL,
                "{\"provider_type\":\"bedrock\",\"temperature\":0.2,\"max_output_tokens\":1024}", true, Duration.ofSeconds(20)));

        ScriptedServer.Recorded sent = server.only();
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.path()).isEqualTo(PATH + "/converse");
        TestProviders.assertSigV4(sent, server.uri(), "bedrock");
        assertThat(sent.json()).isEqualTo(Json.parseObject("""
                {"messages":[{"role":"user","content":[{"text":"Please get ready to summarize a conversation."}]},
                             {"role":"assistant","content":[{"text":%s}]},
                             {"role":"user","content":[{"text":%s}]}],
                 "system":[{"text":%s}],
                 "inferenceConfig":{"maxTokens":1024,"temperature":0.2}}""".formatted(
                Json.write(ACK), Json.write(TRANSCRIPT), Json.write(PROMPT))));
        assertThat(result.text()).isEqualTo("I deployed the api to staging (build 4411).");
        assertThat(result.source()).isEqualTo(SummaryResult.LLM);
        assertThat(result.usage()).isEqualTo(new TokenUsage(812, 14, 0, 0));
        assertThat(result.model().provider()).isEqualTo("bedrock");
        assertThat(Prices.estimateUsd(result.model(), result.usage())).isEqualTo(0.000882);
    }

    @Test
    void streamsLongOutputsWithConverseStream() {
        server.then(eventStream(List.of(
                event("messageStart", "{\"role\":\"assistant\",\"p\":\"abcd\"}"),
                event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"I deployed the api \"},\"p\":\"abc\"}"),
                event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"to staging.\"},\"p\":\"ab\"}"),
                event("contentBlockStop", "{\"contentBlockIndex\":0,\"p\":\"a\"}"),
                event("messageStop", "{\"stopReason\":\"end_turn\",\"p\":\"abcdef\"}"),
                event("metadata", "{\"usage\":{\"inputTokens\":900,\"outputTokens\":6,\"totalTokens\":906,"
                        + "\"cacheReadInputTokens\":400,\"cacheWriteInputTokens\":0},\"metrics\":{\"latencyMs\":300},\"p\":\"ab\"}"))));

        SummaryResult result = summarizer().summarize(request(MODEL, "{\"provider_type\":\"bedrock\",\"max_output_tokens\":8192}"));

        ScriptedServer.Recorded sent = server.only();
        assertThat(sent.path()).isEqualTo(PATH + "/converse-stream");
        TestProviders.assertSigV4(sent, server.uri(), "bedrock");
        assertThat(sent.json()).containsEntry("inferenceConfig", Map.of("maxTokens", 8192L));
        assertThat(result.text()).isEqualTo("I deployed the api to staging.");
        assertThat(result.usage()).isEqualTo(new TokenUsage(900, 6, 400, 0));
    }

    @Test
    void retriesAThrottleAndSucceeds() {
        server.then(json(429, THROTTLED, Map.of("x-amzn-ErrorType", "ThrottlingException"))).then(json(200, ANSWER));

        SummaryResult result = summarizer().summarize(request(MODEL, null));

        assertThat(result.text()).startsWith("I deployed");
        assertThat(server.requests()).hasSize(2);
        assertThat(providers.sleeps).singleElement().satisfies(d -> assertThat(d).isBetween(Duration.ZERO, Duration.ofMillis(500)));
    }

    @Test
    void serverErrorsAreRetriedUntilTheAttemptsRunOut() {
        server.then(json(500, "{\"message\":\"Internal server error\"}", Map.of("x-amzn-ErrorType", "InternalServerException")));

        assertThatThrownBy(() -> summarizer().summarize(request(MODEL, null)))
                .isInstanceOfSatisfying(LlmException.class, e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.PROVIDER_ERROR));
        assertThat(server.requests()).hasSize(3);
        assertThat(providers.sleeps).hasSize(2);
    }

    @Test
    void aThrottleInsideTheStreamIsARateLimit() {
        server.then(eventStream(List.of(event("messageStart", "{\"role\":\"assistant\"}"),
                ScriptedServer.exception("throttlingException", "Too many tokens, please wait before trying again."))));

        assertThatThrownBy(() -> summarizer().summarize(request(MODEL, "{\"provider_type\":\"bedrock\",\"max_output_tokens\":8192}")))
                .isInstanceOfSatisfying(LlmException.class, e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.RATE_LIMIT));
        assertThat(server.requests()).hasSize(3);
    }

    @Test
    void aValidationErrorIsABadRequestAndATooLongInputAContextWindowError() {
        server.then(json(400, "{\"message\":\"Malformed input request, please reformat your input and try again.\"}",
                Map.of("x-amzn-ErrorType", "ValidationException")));
        assertThatThrownBy(() -> summarizer().summarize(request(MODEL, null)))
                .isInstanceOfSatisfying(LlmException.class, e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.BAD_REQUEST));

        server.then(json(400, "{\"message\":\"Input is too long for requested model.\"}", Map.of("x-amzn-ErrorType", "ValidationException")));
        assertThatThrownBy(() -> summarizer().summarize(request(MODEL, null)))
                .isInstanceOfSatisfying(LlmException.class, e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.CONTEXT_WINDOW_EXCEEDED));
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void aSummaryCutAtTheTokenLimitIsRejected() {
        server.then(json(200, ANSWER.replace("end_turn", "max_tokens")));

        assertThatThrownBy(() -> summarizer().summarize(request(MODEL, null)))
                .isInstanceOfSatisfying(LlmException.class, e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.TRUNCATED_OUTPUT));
    }

    @Test
    void anEmptyAnswerIsRejected() {
        server.then(json(200, ANSWER.replace("I deployed the api to staging (build 4411).", "  ")));

        assertThatThrownBy(() -> summarizer().summarize(request(MODEL, null)))
                .isInstanceOfSatisfying(LlmException.class, e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.EMPTY_OUTPUT));
    }

    @Test
    void aMalformedBodyIsAProviderErrorWithoutRetries() {
        server.then(json(200, "{\"output\": {\"message\": "));

        assertThatThrownBy(() -> summarizer().summarize(request(MODEL, null)))
                .isInstanceOfSatisfying(LlmException.class, e -> {
                    assertThat(e.kind()).isEqualTo(LlmException.Kind.PROVIDER_ERROR);
                    assertThat(e.retryable()).isFalse();
                });
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void aSilentServerTimesOutAtTheDeadline() {
        server.then(ScriptedServer.silence());
        Instant started = Instant.now();

        assertThatThrownBy(() -> summarizer().summarize(request(MODEL, null, false, Duration.ofMillis(1500))))
                .isInstanceOfSatisfying(LlmException.class, e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.TIMEOUT));
        assertThat(Duration.between(started, Instant.now())).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void structuredOutputAndOtherProvidersFieldsAreDroppedNotRefused() {
        server.then(json(200, ANSWER)).then(json(200, ANSWER));

        summarizer().summarize(request(MODEL, "{\"provider_type\":\"bedrock\",\"response_format\":{\"type\":\"json_object\"}}"));
        summarizer().summarize(request(MODEL, "{\"provider_type\":\"openai\",\"temperature\":0.1,\"strict\":true}"));

        assertThat(server.requests()).hasSize(2);
        assertThat(server.requests().get(0).json()).doesNotContainKeys("outputConfig", "responseFormat");
        assertThat(server.requests().get(1).json()).extracting("inferenceConfig").asString().contains("temperature=0.1");
    }
}
