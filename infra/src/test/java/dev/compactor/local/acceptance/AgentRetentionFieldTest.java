package dev.compactor.local.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.local.testing.HttpJson;
import dev.compactor.local.testing.LocalApi;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An agent's own {@code message_retention_days} over real HTTP (API Gateway emulator, the handler,
 * DynamoDB Local): set at creation and by PATCH, returned, cleared by null, validated. What it does
 * to a conversation's history is in {@link RetentionTest}.
 */
class AgentRetentionFieldTest {
    private static final String FIELD = "message_retention_days";

    private final LocalApi api = LocalApi.start();
    private final HttpJson http = api.http;

    @AfterEach
    void stop() {
        api.close();
    }

    private static Map<String, Object> agentBody(Object days) {
        Map<String, Object> body = new LinkedHashMap<>(AgentAndConversationRoutesTest.agentBody());
        body.put(FIELD, days);
        return body;
    }

    @Test
    void anAgentsMessageRetentionIsStoredReturnedAndChangesOnlyWhenSent() {
        HttpJson.Response created = http.post("/v1/agents/", agentBody(7));
        assertThat(created.status()).as(created.raw().body()).isEqualTo(200);
        String id = (String) created.object().get("id");

        assertThat(created.object()).containsEntry(FIELD, 7L);
        assertThat(http.get("/v1/agents/" + id).object()).containsEntry(FIELD, 7L);
        assertThat(http.patch("/v1/agents/" + id, Map.of("name", "billing")).object()).containsEntry(FIELD, 7L);
        assertThat(http.patch("/v1/agents/" + id, Map.of(FIELD, 90)).object()).containsEntry(FIELD, 90L);
        Map<String, Object> cleared = new LinkedHashMap<>();
        cleared.put(FIELD, null);
        assertThat(http.patch("/v1/agents/" + id, cleared).object()).containsEntry(FIELD, null).containsEntry("name", "billing");
        assertThat(http.get("/v1/agents/" + id).object()).containsEntry(FIELD, null);
        assertThat(http.post("/v1/agents/", AgentAndConversationRoutesTest.agentBody()).object()).containsEntry(FIELD, null);
        assertThat(http.post("/v1/agents/", agentBody(null)).object()).containsEntry(FIELD, null);
    }

    @Test
    void aRetentionThatIsNotAWholeNumberOfDaysFromOneTo36500Is422AndChangesNothing() {
        String id = (String) http.post("/v1/agents/", agentBody(7)).object().get("id");

        HttpJson.Response zero = http.patch("/v1/agents/" + id, Map.of(FIELD, 0, "name", "renamed"));
        HttpJson.Response above = http.patch("/v1/agents/" + id, Map.of(FIELD, 36_501));
        HttpJson.Response fraction = http.patch("/v1/agents/" + id, Map.of(FIELD, 1.5));
        HttpJson.Response word = http.patch("/v1/agents/" + id, Map.of(FIELD, "a week"));
        HttpJson.Response negative = http.post("/v1/agents/", agentBody(-1));

        assertThat(List.of(zero.status(), above.status(), fraction.status(), word.status(), negative.status())).containsOnly(422);
        assertThat(zero.detail()).contains("'type': 'greater_than_equal', 'loc': ('body', 'message_retention_days')",
                "'msg': 'Input should be greater than or equal to 1'");
        assertThat(above.detail()).contains("'type': 'less_than_equal', 'loc': ('body', 'message_retention_days')",
                "'msg': 'Input should be less than or equal to 36500'");
        assertThat(fraction.detail()).contains("'type': 'int_from_float', 'loc': ('body', 'message_retention_days')");
        assertThat(word.detail()).contains("'type': 'int_parsing', 'loc': ('body', 'message_retention_days')");
        assertThat(negative.detail()).contains("'type': 'greater_than_equal'");
        assertThat(http.get("/v1/agents/" + id).object()).containsEntry(FIELD, 7L).containsEntry("name", "support bot");
        assertThat(http.patch("/v1/agents/" + id, Map.of(FIELD, 36_500)).object()).containsEntry(FIELD, 36_500L);
    }
}
