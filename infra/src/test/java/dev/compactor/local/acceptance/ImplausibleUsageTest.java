package dev.compactor.local.acceptance;

import static dev.compactor.local.providers.ScriptedServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.conversation.Ids;
import dev.compactor.local.command.Seeder;
import dev.compactor.local.emulator.ApiGatewayEmulator;
import dev.compactor.local.providers.ScriptedServer;
import dev.compactor.local.runtime.FunctionHost;
import dev.compactor.local.testing.TestDynamo;
import dev.compactor.support.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The bill does not take a provider's usage on trust: a cached count above the prompt count, or
 * an output count no request could produce, is recorded with no tokens and no price and flagged
 * (in the response's {@code compaction.usage}, in the call's usage record and in the log), and the
 * month's totals stay as they were. The provider is a local server speaking OpenAI's JSON.
 */
class ImplausibleUsageTest {
    static final String MODEL = "openai/gpt-4.1-mini";

    private static String answer(String usage) {
        return """
                {"id":"chatcmpl-1","object":"chat.completion","model":"gpt-4.1-mini",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"The user moved billing to Postgres 16."},
                 "finish_reason":"stop"}],"usage":%s}""".formatted(usage);
    }

    @Test
    @SuppressWarnings("unchecked")
    void usageThatCannotBeTrueIsRecordedUnpricedAndFlaggedAndNeverMakesTheMonthNegative() throws Exception {
        TestDynamo local = TestDynamo.get();
        String table = local.newTable();
        try (ScriptedServer openai = new ScriptedServer()) {
            openai.then(json(200, answer("{\"prompt_tokens\":100,\"completion_tokens\":50,\"total_tokens\":150,"
                            + "\"prompt_tokens_details\":{\"cached_tokens\":400000}}")))
                    .then(json(200, answer("{\"prompt_tokens\":1200,\"completion_tokens\":1e30,\"total_tokens\":1e30}")))
                    .then(json(200, answer("{\"prompt_tokens\":1200,\"completion_tokens\":380,\"total_tokens\":1580}")));
            Map<String, String> env = Map.of("DEFAULT_SUMMARIZER_MODEL", MODEL, "EXTRACTIVE_FALLBACK", "false",
                    "SUMMARIZER_FAILOVER", "none", "OPENAI_API_KEY", "sk-usage-test-0123456789", "OPENAI_BASE_URL", openai.uri() + "/v1");
            FunctionHost host = new FunctionHost(local.template, table, local.dynamo.endpoint(), env);
            try (ApiGatewayEmulator api = new ApiGatewayEmulator(host, "127.0.0.1", 0)) {
                api.start();
                HttpClient http = HttpClient.newHttpClient();

                Map<String, Object> cachedAbovePrompt = compact(http, api.port(), seeded(local, table));
                Map<String, Object> absurdOutput = compact(http, api.port(), seeded(local, table));
                Map<String, Object> plausible = compact(http, api.port(), seeded(local, table));

                assertThat(cachedAbovePrompt).containsEntry("usage_rejected", "negative_count").containsEntry("input_tokens", 0L)
                        .containsEntry("cache_read_tokens", 0L).containsEntry("output_tokens", 0L).containsEntry("cost_usd", null);
                assertThat(absurdOutput).containsEntry("usage_rejected", "output_above_limit").containsEntry("output_tokens", 0L)
                        .containsEntry("cost_usd", null);
                assertThat(plausible).doesNotContainKey("usage_rejected").containsEntry("input_tokens", 1200L)
                        .containsEntry("output_tokens", 380L);
                double plausibleCost = ((Number) plausible.get("cost_usd")).doubleValue();
                assertThat(plausibleCost).isPositive();

                HttpResponse<String> month = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port()
                        + "/v1/usage")).GET().build(), HttpResponse.BodyHandlers.ofString());
                Map<String, Object> usage = Json.parseObject(month.body());
                Map<String, Object> totals = (Map<String, Object>) usage.get("totals");
                assertThat(totals).containsEntry("calls", 3L).containsEntry("input_tokens", 1200L).containsEntry("output_tokens", 380L)
                        .containsEntry("cache_read_tokens", 0L).containsEntry("unpriced_calls", 2L);
                assertThat(((Number) totals.get("cost_usd")).doubleValue()).isEqualTo(plausibleCost);
                List<Map<String, Object>> calls = (List<Map<String, Object>>) usage.get("calls");
                assertThat(calls).filteredOn(c -> c.containsKey("usage_rejected")).extracting(c -> c.get("usage_rejected"))
                        .containsExactlyInAnyOrder("negative_count", "output_above_limit");
            }
        }
    }

    private static String seeded(TestDynamo local, String table) {
        String id = Ids.newConversationId();
        Seeder.seed(local.services(table).store(), Seeder.SAMPLE_AGENT_ID, id, MODEL, Seeder.CONTEXT_WINDOW);
        return id;
    }

    /** Compacts and returns the answer's {@code compaction.usage}. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> compact(HttpClient http, int port, String conversation) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/v1/conversations/" + conversation + "/compact"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"compaction_settings\":{\"mode\":\"all\"}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Map<String, Object> body = Json.parseObject(response.body());
        return (Map<String, Object>) ((Map<String, Object>) body.get("compaction")).get("usage");
    }
}
