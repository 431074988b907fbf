package dev.compactor.local.providers;

import static dev.compactor.local.providers.ScriptedServer.sse;
import static dev.compactor.local.providers.TestProviders.PROMPT;
import static dev.compactor.local.providers.TestProviders.TRANSCRIPT;
import static dev.compactor.local.providers.TestProviders.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.compactor.support.Json;
import dev.compactor.llm.LlmException;
import dev.compactor.llm.ModelHandle;
import dev.compactor.llm.SummaryResult;
import dev.compactor.llm.TokenUsage;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** OpenAI's streamed Responses API (models served only there, and the ChatGPT backend) against a local SSE server. */
class OpenAiResponsesTest extends ProviderServerTest {
    static final String[] STREAM = {
        "event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0,\"response\":{\"id\":\"resp_1\",\"status\":\"in_progress\"}}",
        "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"sequence_number\":4,\"item_id\":\"msg_1\","
                + "\"output_index\":1,\"content_index\":0,\"delta\":\"Deployed \"}",
        "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"sequence_number\":5,\"item_id\":\"msg_1\","
                + "\"output_index\":1,\"content_index\":0,\"delta\":\"build 4411.\"}",
        "event: response.completed\ndata: {\"type\":\"response.completed\",\"sequence_number\":9,\"response\":{\"id\":\"resp_1\","
                + "\"status\":\"completed\",\"usage\":{\"input_tokens\":900,\"input_tokens_details\":{\"cached_tokens\":0},"
                + "\"output_tokens\":250,\"output_tokens_details\":{\"reasoning_tokens\":200},\"total_tokens\":1150}}}"};


    @Test
    void modelsServedOnlyByResponsesAreStreamedFromThere() {
        server.then(sse(STREAM));

        SummaryResult result = providers.summarizers(Map.of("OPENAI_API_KEY", "sk-test", "OPENAI_BASE_URL", server.uri() + "/v1"), null)
                .forModel(ModelHandle.parse("openai/gpt-5-codex"))
                .summarize(request("openai/gpt-5-codex", "{\"provider_type\":\"openai\",\"max_output_tokens\":2000,"
                        + "\"reasoning\":{\"reasoning_effort\":\"minimal\"}}"));

        ScriptedServer.Recorded sent = server.only();
        assertThat(sent.path()).isEqualTo("/v1/responses");
        assertThat(sent.header("authorization")).isEqualTo("Bearer sk-test");
        assertThat(sent.json()).isEqualTo(Json.parseObject("""
                {"model":"gpt-5-codex","instructions":%s,"input":[{"role":"user","content":%s}],
                 "max_output_tokens":2000,"reasoning":{"effort":"minimal"},"text":{"verbosity":"medium"},"stream":true,"store":false}"""
                .formatted(Json.write(PROMPT), Json.write(TRANSCRIPT))));
        assertThat(result.text()).isEqualTo("Deployed build 4411.");
        assertThat(result.usage()).isEqualTo(new TokenUsage(900, 250, 0, 0));
    }

    @Test
    void gpt5AndOSeriesSummariesGoThroughResponsesWithLettasReasoningEffortAndVerbosity() {
        server.then(sse(STREAM));
        var summarizers = providers.summarizers(Map.of("OPENAI_API_KEY", "sk-test", "OPENAI_BASE_URL", server.uri() + "/v1"), null);

        summarizers.forModel(ModelHandle.parse("openai/gpt-5-mini")).summarize(request("openai/gpt-5-mini", null));
        summarizers.forModel(ModelHandle.parse("openai/gpt-5-mini")).summarize(request("openai/gpt-5-mini",
                "{\"provider_type\":\"openai\",\"reasoning\":{\"reasoning_effort\":\"high\"}}"));
        summarizers.forModel(ModelHandle.parse("openai/o3")).summarize(request("openai/o3", null));
        summarizers.forModel(ModelHandle.parse("openai/gpt-5.1")).summarize(request("openai/gpt-5.1", null));

        var sent = server.requests();
        assertThat(sent).extracting(ScriptedServer.Recorded::path).containsOnly("/v1/responses");
        assertThat(sent.get(0).json()).containsEntry("model", "gpt-5-mini").containsEntry("reasoning", Map.of("effort", "minimal"))
                .containsEntry("text", Map.of("verbosity", "medium")).doesNotContainKey("messages");
        assertThat(sent.get(1).json()).containsEntry("reasoning", Map.of("effort", "high")).containsEntry("text", Map.of("verbosity", "medium"));
        assertThat(sent.get(2).json()).containsEntry("model", "o3").doesNotContainKeys("reasoning", "text");
        assertThat(sent.get(3).json()).doesNotContainKey("reasoning").containsEntry("text", Map.of("verbosity", "medium"));
    }

    @Test
    void settingsTheModelCannotHonourAreDroppedAsLettaDropsThem() {
        server.then(sse(STREAM)).then(sse(STREAM)).then(sse(STREAM));
        var summarizers = providers.summarizers(Map.of("OPENAI_API_KEY", "sk-test", "OPENAI_BASE_URL", server.uri() + "/v1"), null);

        summarizers.forModel(ModelHandle.parse("openai/gpt-5-mini")).summarize(request("openai/gpt-5-mini",
                "{\"provider_type\":\"openai\",\"temperature\":0.05,\"reasoning\":{\"reasoning_effort\":\"high\"}}"));
        // Letta's verbosity travels in Anthropic's settings class and reaches GPT-5 models only.
        summarizers.forModel(ModelHandle.parse("openai/gpt-5-mini")).summarize(request("openai/gpt-5-mini",
                "{\"provider_type\":\"anthropic\",\"verbosity\":\"low\",\"effort\":\"low\"}"));
        summarizers.forModel(ModelHandle.parse("openai/o3")).summarize(request("openai/o3",
                "{\"provider_type\":\"anthropic\",\"verbosity\":\"low\"}"));

        var sent = server.requests();
        assertThat(sent).extracting(ScriptedServer.Recorded::path).containsOnly("/v1/responses");
        assertThat(sent.get(0).json()).doesNotContainKey("temperature").containsEntry("reasoning", Map.of("effort", "high"));
        assertThat(sent.get(1).json()).containsEntry("text", Map.of("verbosity", "low")).doesNotContainKey("output_config");
        assertThat(sent.get(2).json()).containsEntry("model", "o3").doesNotContainKeys("text", "verbosity");
    }

    @Test
    void chatGptSignInReachesTheCodexBackendWithItsAccountHeader() {
        server.then(sse(STREAM));

        providers.summarizers(Map.of("CHATGPT_ACCESS_TOKEN", "eyJ.test", "CHATGPT_ACCOUNT_ID", "acct-42",
                        "CHATGPT_BASE_URL", server.uri() + "/backend-api/codex"), null)
                .forModel(ModelHandle.parse("chatgpt_oauth/gpt-5.1"))
                .summarize(request("chatgpt_oauth/gpt-5.1", "{\"provider_type\":\"chatgpt_oauth\",\"reasoning\":{\"reasoning_effort\":\"low\"}}"));

        ScriptedServer.Recorded sent = server.only();
        assertThat(sent.path()).isEqualTo("/backend-api/codex/responses");
        assertThat(sent.header("authorization")).isEqualTo("Bearer eyJ.test");
        assertThat(sent.header("chatgpt-account-id")).isEqualTo("acct-42");
        assertThat(sent.json()).containsEntry("reasoning", Map.of("effort", "low")).containsEntry("stream", true)
                .containsEntry("store", false).doesNotContainKey("max_output_tokens");
    }

    @Test
    void anIncompleteOrFailedResponseIsReported() {
        server.then(sse(STREAM[1], "event: response.incomplete\ndata: {\"type\":\"response.incomplete\",\"response\":{\"status\":"
                + "\"incomplete\",\"incomplete_details\":{\"reason\":\"max_output_tokens\"},\"usage\":{\"input_tokens\":9,\"output_tokens\":9}}}"));
        var summarizer = providers.summarizers(Map.of("OPENAI_API_KEY", "k", "OPENAI_BASE_URL", server.uri().toString()), null)
                .forModel(ModelHandle.parse("openai/o3-pro"));
        assertThatThrownBy(() -> summarizer.summarize(request("openai/o3-pro", null)))
                .isInstanceOfSatisfying(LlmException.class, e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.TRUNCATED_OUTPUT));

        server.then(sse("event: response.failed\ndata: {\"type\":\"response.failed\",\"response\":{\"status\":\"failed\","
                + "\"error\":{\"code\":\"rate_limit_exceeded\",\"message\":\"Rate limit reached\"}}}"));
        assertThatThrownBy(() -> summarizer.summarize(request("openai/o3-pro", null)))
                .isInstanceOfSatisfying(LlmException.class, e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.RATE_LIMIT));
        assertThat(server.requests()).hasSize(4);
    }
}
