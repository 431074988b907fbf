package dev.compactor.local.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.api.ApiHandler;
import dev.compactor.api.ApiResponse;
import dev.compactor.app.AwsClients;
import dev.compactor.app.Services;
import dev.compactor.conversation.Ids;
import dev.compactor.llm.SummaryResult;
import dev.compactor.llm.TokenUsage;
import dev.compactor.local.command.Seeder;
import dev.compactor.local.providers.ScriptedServer;
import dev.compactor.local.testing.ApiEvents;
import dev.compactor.local.testing.ShiftedClock;
import dev.compactor.local.testing.TestDynamo;
import dev.compactor.support.Env;
import dev.compactor.support.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A synchronous compaction keeps its own deadline inside API Gateway's 29 seconds, counted from
 * when the gateway received the request ({@code requestContext.requestTimeEpoch}), and fails
 * cleanly at it: a 504 the caller actually gets, and every item of the conversation as it was.
 * Nothing here waits: the first test moves a clock, the second starts from a request the gateway
 * received 26 seconds ago.
 */
class SyncDeadlineTest {
    static final String TENANT = Seeder.TENANT;
    static final String COMPACT = "/v1/conversations/{conversation_id}/compact";

    private final TestDynamo local = TestDynamo.get();
    private final String table = local.newTable();
    private final ShiftedClock clock = new ShiftedClock();

    private String seeded(Services services) {
        String id = Ids.newConversationId();
        Seeder.seed(services.store(), Seeder.SAMPLE_AGENT_ID, id, "local/extractive", Seeder.CONTEXT_WINDOW);
        return id;
    }

    private ApiResponse compact(ApiHandler handler, String conversationId, long receivedAt) {
        return handler.handle(ApiEvents.of(TENANT, "POST", COMPACT).param("conversation_id", conversationId).receivedAt(receivedAt)
                .body(Map.of("compaction_settings", Map.of("mode", "all"))), null, clock.instant().plus(Duration.ofMinutes(10)));
    }

    @Test
    void aSummaryThatArrivesAfterTheGatewaysDeadlineIsNotCommitted() {
        // The model answers, but only 30 seconds after the gateway received the request.
        Services services = local.services(table, handle -> request -> {
            clock.advance(Duration.ofSeconds(30));
            return new SummaryResult("too late", SummaryResult.LLM, handle, TokenUsage.NONE, 30_000);
        }, clock);
        ApiHandler handler = new ApiHandler(services);
        String id = seeded(services);
        List<Map<String, AttributeValue>> before = items(id);

        ApiResponse late = compact(handler, id, clock.millis());

        assertThat(late.status()).isEqualTo(504);
        assertThat((String) Json.parseObject(late.body()).get("detail")).contains("nothing was changed").contains("respond-async");
        assertThat(items(id)).isEqualTo(before);
    }

    @Test
    void aRequestTheGatewayIsAboutToGiveUpOnFailsWithoutCallingTheModel() throws IOException {
        try (ScriptedServer bedrock = new ScriptedServer()) {
            Map<String, String> vars = new HashMap<>(local.env(table).vars());
            vars.put("DEFAULT_SUMMARIZER_MODEL", CompactWithProvidersTest.MODEL);
            vars.put("EXTRACTIVE_FALLBACK", "false");
            vars.put("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", bedrock.uri().toString());
            Services services = Services.fromEnvironment(new Env(vars));
            ApiHandler handler = new ApiHandler(services);
            String id = seeded(services);
            List<Map<String, AttributeValue>> before = items(id);

            ApiResponse response = compact(handler, id, clock.instant().minusSeconds(26).toEpochMilli());

            assertThat(response.status()).isEqualTo(504);
            assertThat(response.body()).contains("llm_timeout");
            assertThat(bedrock.requests()).isEmpty();
            assertThat(items(id)).isEqualTo(before);
        }
    }

    @Test
    void aLongerIntegrationTimeoutLetsTheSameLateSummaryCommit() {
        // The deployment raised the integration timeout to 120 s (SyncCompactionTimeoutSeconds).
        Map<String, String> vars = new HashMap<>(local.env(table).vars());
        vars.put(Env.INTEGRATION_TIMEOUT_SECONDS, "120");
        Env env = new Env(vars);
        try (Services services = new Services(env, AwsClients.dynamo(env), handle -> request -> {
            clock.advance(Duration.ofSeconds(30));
            return new SummaryResult("in time for a 120-second gateway", SummaryResult.LLM, handle, TokenUsage.NONE, 30_000);
        }, clock)) {
            ApiHandler handler = new ApiHandler(services);
            String id = seeded(services);

            ApiResponse response = compact(handler, id, clock.millis());

            assertThat(response.status()).as(response.body()).isEqualTo(200);
            assertThat(Json.parseObject(response.body())).containsEntry("summary", "in time for a 120-second gateway");
        }
    }

    /** Every item of the conversation's partition, in key order. */
    private List<Map<String, AttributeValue>> items(String conversationId) {
        return local.partition(table, "T#" + TENANT + "#C#" + conversationId);
    }
}
