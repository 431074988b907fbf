package dev.compactor.local.providers;

import static dev.compactor.local.providers.ScriptedServer.json;
import static dev.compactor.local.providers.ScriptedServer.sse;
import static dev.compactor.local.providers.TestProviders.ACK;
import static dev.compactor.local.providers.TestProviders.PROMPT;
import static dev.compactor.local.providers.TestProviders.TRANSCRIPT;
import static dev.compactor.local.providers.TestProviders.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.compactor.support.Json;
import dev.compactor.llm.LlmException;
import dev.compactor.llm.Prices;
import dev.compactor.llm.ModelHandle;
import dev.compactor.llm.Summarizer;
import dev.compactor.llm.SummaryResult;
import dev.compactor.llm.TokenUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Anthropic Messages with SSE streaming (Anthropic and Kimi Code) against a local server speaking Anthropic's event stream. */
class AnthropicMessagesTest extends ProviderServerTest {
    static final String[] STREAM = {
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_01\",\"type\":\"message\",\"role\":\"assistant\","
                + "\"model\":\"claude-haiku-4-5-20251001\",\"content\":[],\"stop_reason\":null,\"usage\":{\"input_tokens\":1500,"
                + "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":2048,\"output_tokens\":1}}}",
        "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
        "event: ping\ndata: {\"type\":\"ping\"}",
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"I deployed \"}}",
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"build 4411.\"}}",
        "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}",
        "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
                + "\"usage\":{\"output_tokens\":210}}",
        "event: message_stop\ndata: {\"type\":\"message_stop\"}"};


    private Summarizer anthropic() {
        return providers.summarizers(Map.of("ANTHROPIC_API_KEY", "sk-ant-test", "ANTHROPIC_BASE_URL", server.uri().toString()), null)
                .forModel(ModelHandle.parse("anthropic/claude-haiku-4-5"));
    }

    @Test
    void streamsTheSummaryWithThinkingAndAnOpeningUserTurn() {
        server.then(sse(STREAM));

        SummaryResult result = anthropic().summarize(request("anthropic/claude-haiku-4-5", "{\"provider_type\":\"anthropic\","
                + "\"max_output_tokens\":3000,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024}}",
                true, Duration.ofSeconds(20)));

        ScriptedServer.Recorded sent = server.only();
        assertThat(sent.path()).isEqualTo("/v1/messages");
        assertThat(sent.header("x-api-key")).isEqualTo("sk-ant-test");
        assertThat(sent.header("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(sent.header("accept")).isEqualTo("text/event-stream");
        assertThat(sent.json()).isEqualTo(Json.parseObject("""
                {"model":"claude-haiku-4-5","max_tokens":3000,"system":%s,
                 "messages":[{"role":"user","content":"Please get ready to summarize a conversation."},
                             {"role":"assistant","content":%s},{"role":"user","content":%s}],
                 "thinking":{"type":"enabled","budget_tokens":1024},"stream":true}"""
                .formatted(Json.write(PROMPT), Json.write(ACK), Json.write(TRANSCRIPT))));
        assertThat(result.text()).isEqualTo("I deployed build 4411.");
        assertThat(result.usage()).isEqualTo(new TokenUsage(1500, 210, 2048, 0));
        assertThat(Prices.estimateUsd(result.model(), result.usage())).isEqualTo(0.002755);
    }

    @Test
    void effortGoesOnlyToTheModelsLettaSendsItToAndIsDroppedForTheOthers() {
        server.then(sse(STREAM)).then(sse(STREAM));
        Summarizer opus = providers.summarizers(Map.of("ANTHROPIC_API_KEY", "sk-ant-test", "ANTHROPIC_BASE_URL", server.uri().toString()),
                null).forModel(ModelHandle.parse("anthropic/claude-opus-4-5"));

        opus.summarize(request("anthropic/claude-opus-4-5", "{\"provider_type\":\"anthropic\",\"effort\":\"low\"}"));
        anthropic().summarize(request("anthropic/claude-haiku-4-5", "{\"provider_type\":\"anthropic\",\"effort\":\"low\"}"));

        assertThat(server.requests()).hasSize(2);
        assertThat(server.requests().get(0).json()).containsEntry("output_config", Map.of("effort", "low"));
        assertThat(server.requests().get(1).json()).containsEntry("model", "claude-haiku-4-5").doesNotContainKey("output_config");
    }

    @Test
    void kimiCodeSpeaksTheSameProtocolAtItsOwnAddress() {
        server.then(sse(STREAM));

        providers.summarizers(Map.of("KIMI_API_KEY", "sk-kimi-test", "KIMI_BASE_URL", server.uri() + "/coding/"), null)
                .forModel(ModelHandle.parse("moonshot_coding/kimi-for-coding"))
                .summarize(request("moonshot_coding/kimi-for-coding", "{\"provider_type\":\"moonshot_coding\",\"temperature\":0.6}"));

        ScriptedServer.Recorded sent = server.only();
        assertThat(sent.path()).isEqualTo("/coding/v1/messages");
        assertThat(sent.header("x-api-key")).isEqualTo("sk-kimi-test");
        assertThat(sent.json()).containsEntry("model", "kimi-for-coding").containsEntry("temperature", 0.6);
    }

    @Test
    void anOverloadedStreamIsRetriedThenSucceeds() {
        server.then(sse("event: message_start\ndata: " + STREAM[0].substring(STREAM[0].indexOf('{')),
                "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"))
                .then(sse(STREAM));

        assertThat(anthropic().summarize(request("anthropic/claude-haiku-4-5", null)).text()).isEqualTo("I deployed build 4411.");
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void httpErrorsFollowLettasMapping() {
        server.then(json(529, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"));
        assertThatThrownBy(() -> anthropic().summarize(request("anthropic/claude-haiku-4-5", null)))
                .isInstanceOfSatisfying(LlmException.class, e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.OVERLOADED));

        server.then(json(400, "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"prompt is too long: "
                + "215000 tokens > 200000 maximum\"}}"));
        assertThatThrownBy(() -> anthropic().summarize(request("anthropic/claude-haiku-4-5", null)))
                .isInstanceOfSatisfying(LlmException.class, e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.CONTEXT_WINDOW_EXCEEDED));

        server.then(json(400, "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"Your credit balance is too "
                + "low to access the Anthropic API.\"}}"));
        assertThatThrownBy(() -> anthropic().summarize(request("anthropic/claude-haiku-4-5", null)))
                .isInstanceOfSatisfying(LlmException.class, e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.INSUFFICIENT_CREDITS));
        assertThat(server.requests()).hasSize(5);
    }

    @Test
    void aStreamCutShortOrStoppedAtTheLimitIsNotASummary() {
        server.then(sse(STREAM[0], STREAM[1], STREAM[3]));
        assertThatThrownBy(() -> anthropic().summarize(request("anthropic/claude-haiku-4-5", null)))
                .isInstanceOfSatisfying(LlmException.class, e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.PROVIDER_ERROR));
        assertThat(server.requests()).hasSize(3);

        server.then(sse(STREAM[0], STREAM[3], STREAM[6].replace("end_turn", "max_tokens"), STREAM[7]));
        assertThatThrownBy(() -> anthropic().summarize(request("anthropic/claude-haiku-4-5", null)))
                .isInstanceOfSatisfying(LlmException.class, e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.TRUNCATED_OUTPUT));

        server.then(sse(STREAM[0], STREAM[6], STREAM[7]));
        assertThatThrownBy(() -> anthropic().summarize(request("anthropic/claude-haiku-4-5", null)))
                .isInstanceOfSatisfying(LlmException.class, e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.EMPTY_OUTPUT));
    }

    @Test
    void aStreamThatStallsIsCutAtTheDeadline() {
        server.then(ScriptedServer.sseThenSilence(STREAM[0], STREAM[3]));
        Instant started = Instant.now();

        assertThatThrownBy(() -> anthropic().summarize(request("anthropic/claude-haiku-4-5", null, false, Duration.ofMillis(1200))))
                .isInstanceOfSatisfying(LlmException.class, e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.TIMEOUT));
        assertThat(Duration.between(started, Instant.now())).isLessThan(Duration.ofSeconds(5));
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void aStreamCutMidLineByTheDeadlineIsATimeoutNotAMalformedAnswer() {
        server.then(ScriptedServer.sseRawThenSilence(STREAM[0] + "\n\n" + STREAM[3].substring(0, 60)));

        assertThatThrownBy(() -> anthropic().summarize(request("anthropic/claude-haiku-4-5", null, false, Duration.ofMillis(1200))))
                .isInstanceOfSatisfying(LlmException.class, e -> {
                    assertThat(e.kind()).isEqualTo(LlmException.Kind.TIMEOUT);
                    assertThat(e.retryable()).isTrue();
                });
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void aStreamTheProviderEndsMidLineIsIncompleteAndWorthAnotherAttempt() {
        String cut = STREAM[0] + "\n\n" + STREAM[3].substring(0, 60);
        server.then(ScriptedServer.sseRaw(cut)).then(sse(STREAM));

        SummaryResult result = anthropic().summarize(request("anthropic/claude-haiku-4-5", null));

        assertThat(result.text()).isEqualTo("I deployed build 4411.");
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void aStreamWhoseCompleteEventIsNotJsonIsStillMalformed() {
        server.then(sse(STREAM[0], "event: content_block_delta\ndata: {not json}", STREAM[7]));

        assertThatThrownBy(() -> anthropic().summarize(request("anthropic/claude-haiku-4-5", null)))
                .isInstanceOfSatisfying(LlmException.class, e -> {
                    assertThat(e.kind()).isEqualTo(LlmException.Kind.PROVIDER_ERROR);
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage()).contains("not what it documents");
                });
    }

    @Test
    void verbosityAndAThinkingBudgetOverTheOutputLimitAreDroppedNotRefused() {
        server.then(sse(STREAM)).then(sse(STREAM));

        anthropic().summarize(request("anthropic/claude-haiku-4-5", "{\"provider_type\":\"anthropic\",\"verbosity\":\"low\"}"));
        anthropic().summarize(request("anthropic/claude-haiku-4-5",
                "{\"provider_type\":\"anthropic\",\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":8000}}"));

        assertThat(server.requests()).hasSize(2);
        assertThat(server.requests().get(0).json()).doesNotContainKeys("verbosity", "output_config");
        assertThat(server.requests().get(1).json()).doesNotContainKey("thinking");
    }
}
