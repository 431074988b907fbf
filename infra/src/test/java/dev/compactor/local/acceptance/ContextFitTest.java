package dev.compactor.local.acceptance;

import static dev.compactor.local.providers.ScriptedServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.conversation.Agent;
import dev.compactor.conversation.ConversationStore;
import dev.compactor.conversation.Ids;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.Role;
import dev.compactor.conversation.Snapshot;
import dev.compactor.local.emulator.ApiGatewayEmulator;
import dev.compactor.local.providers.ScriptedServer;
import dev.compactor.local.runtime.FunctionHost;
import dev.compactor.local.testing.HttpJson;
import dev.compactor.local.testing.TestDynamo;
import dev.compactor.support.Json;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A compaction result must fit the context window it was made for, whatever the conversation's
 * size: a sliding-window result over the window compacts again in {@code all}, and one that still
 * does not fit is refused before anything is written. Over HTTP, with a local Bedrock endpoint
 * answering a "summary" of 10 MB that ends normally.
 */
class ContextFitTest {
    private static final int WINDOW = 8_000;
    private static final String SHORT = "The user wants the billing export moved to Postgres 16 (ACME-5862).";

    private final TestDynamo local = TestDynamo.get();
    private final String table = local.newTable();
    private final ScriptedServer bedrock = new ScriptedServer();
    private final ApiGatewayEmulator api;
    private final HttpJson http;

    ContextFitTest() throws IOException {
        api = new ApiGatewayEmulator(new FunctionHost(local.template, table, local.dynamo.endpoint(), Map.of(
                "DEFAULT_SUMMARIZER_MODEL", CompactWithProvidersTest.MODEL, "EXTRACTIVE_FALLBACK", "false",
                "AWS_ENDPOINT_URL_BEDROCK_RUNTIME", bedrock.uri().toString(),
                "AWS_ACCESS_KEY_ID", "AKIDLOCALTEST", "AWS_SECRET_ACCESS_KEY", "local-secret-key")), "127.0.0.1", 0);
        api.start();
        http = new HttpJson(api.port());
    }

    @AfterEach
    void stop() {
        api.close();
        bedrock.close();
    }

    private static ScriptedServer.Answer summary(String text) {
        return json(200, Json.write(Map.of("output", Map.of("message", Map.of("role", "assistant", "content", List.of(Map.of("text", text)))),
                "stopReason", "end_turn", "usage", Map.of("inputTokens", 900, "outputTokens", 300, "totalTokens", 1200))));
    }

    /** A conversation of six messages (system and five turns) of an agent with an 8,000-token window. */
    private String sixMessages() {
        ConversationStore store = local.services(table).store();
        Agent agent = store.createAgent("local", new Agent(Ids.newAgentId(), "small window", "local/extractive", WINDOW,
                "Be brief.", "UTC", null, Instant.now()));
        String id = Ids.newConversationId();
        store.createConversation("local", agent, id);
        store.append("local", id, List.of(Message.text(Role.USER, "Move the billing export to Postgres 16, ticket ACME-5862."),
                Message.text(Role.USER, "Keep the old table for a week."), Message.text(Role.ASSISTANT, "I will start with the schema."),
                Message.text(Role.USER, "Go ahead."), Message.text(Role.ASSISTANT, "Done: the export runs on Postgres 16.")));
        return id;
    }

    private Snapshot snapshot(String id) {
        return local.services(table).store().snapshot("local", id);
    }

    @Test
    void aTenMegabyteSummaryIsRefusedInEveryModeAndNothingIsWritten() {
        String huge = "the summary goes on and on ".repeat(10 * 1024 * 1024 / 27);
        bedrock.then(summary(huge)).then(summary(huge));
        String id = sixMessages();
        Snapshot before = snapshot(id);

        HttpJson.Response response = http.post("/v1/conversations/" + id + "/compact", Map.of());

        assertThat(response.status()).as(String.valueOf(response.json())).isEqualTo(502);
        assertThat(response.detail()).contains("over the context window of 8000 tokens", "mode all", "nothing was written");
        assertThat(bedrock.requests()).as("the sliding window, then all").hasSize(2);
        Snapshot after = snapshot(id);
        assertThat(after.head().compactionGen()).isEqualTo(before.head().compactionGen());
        assertThat(after.inContext()).hasSize(6).isEqualTo(before.inContext());
        assertThat(after.summaryRecord()).isNull();
    }

    @Test
    void aSlidingWindowResultOverTheWindowCompactsAgainInAll() {
        bedrock.then(summary("the summary goes on and on ".repeat(10 * 1024 * 1024 / 27))).then(summary(SHORT));
        String id = sixMessages();

        HttpJson.Response response = http.post("/v1/conversations/" + id + "/compact",
                Map.of("compaction_settings", Map.of("mode", "sliding_window")));

        assertThat(response.status()).as(String.valueOf(response.json())).isEqualTo(200);
        assertThat(response.object()).containsEntry("summary", SHORT).containsEntry("num_messages_after", 2L);
        @SuppressWarnings("unchecked")
        Map<String, Object> details = (Map<String, Object>) response.object().get("compaction");
        assertThat(String.valueOf(details)).contains("over the context window of 8000 tokens");
        assertThat(snapshot(id).inContext()).hasSize(2);
    }

    @Test
    void aSummaryWithALoneSurrogateIsAnErrorNotAQuestionMark() {
        // The provider's JSON carries the escape; the answer parsed from it holds a lone surrogate.
        ScriptedServer.Answer lone = json(200, Json.write(Map.of("output", Map.of("message", Map.of("role", "assistant",
                "content", List.of(Map.of("text", "Billing moves to Postgres LONE 16.")))), "stopReason", "end_turn",
                "usage", Map.of("inputTokens", 900, "outputTokens", 30, "totalTokens", 930))).replace("LONE", "\\ud800"));
        bedrock.then(lone).then(lone);
        String id = sixMessages();
        Snapshot before = snapshot(id);

        HttpJson.Response response = http.post("/v1/conversations/" + id + "/compact", Map.of());

        assertThat(response.status()).isEqualTo(502);
        assertThat(String.valueOf(response.json())).contains("llm_error", "not valid Unicode");
        assertThat(snapshot(id).inContext()).isEqualTo(before.inContext());
        assertThat(snapshot(id).summaryRecord()).isNull();
    }
}
