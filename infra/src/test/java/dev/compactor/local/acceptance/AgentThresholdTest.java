package dev.compactor.local.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.app.Services;
import dev.compactor.compaction.CompactionService;
import dev.compactor.conversation.Agent;
import dev.compactor.conversation.ConversationHead;
import dev.compactor.conversation.ConversationStore;
import dev.compactor.conversation.DueState;
import dev.compactor.local.testing.DueFixtures;
import dev.compactor.local.testing.LocalApi;
import dev.compactor.local.testing.TestDynamo;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * An agent's own compaction threshold, against DynamoDB Local: stored with the agent, taken by its
 * new conversations at once, and by an existing conversation at its next compaction (its head
 * keeps a copy, so appends never read the agent); set and reset through the agent routes.
 */
class AgentThresholdTest {
    private final TestDynamo local = TestDynamo.get();
    private final String table = local.newTable();
    private final Services services = local.services(table, new DueFixtures.Summaries());
    private final DueFixtures due = new DueFixtures(services.store());

    @Test
    void aChangedThresholdAppliesToNewConversationsAtOnceAndToExistingOnesFromTheirNextCompaction() {
        Agent agent = due.agent(DueFixtures.TENANT, null, null);
        String existing = due.conversation(DueFixtures.TENANT, agent, 7_000);
        assertThat(head(existing).dueThreshold()).isEqualTo(9_000);
        assertThat(head(existing).dueState()).isEqualTo(DueState.NONE);

        Agent lowered = services.store().updateAgent(DueFixtures.TENANT, new Agent(agent.id(), agent.name(), agent.model(),
                agent.contextWindow(), agent.system(), agent.timezone(), agent.compactionSettings(), agent.createdAt(), 0.5, null));

        assertThat(services.store().findAgent(DueFixtures.TENANT, agent.id()).orElseThrow().compactionThreshold()).isEqualTo(0.5);
        assertThat(head(due.conversation(DueFixtures.TENANT, lowered, 5_000)).dueState()).isEqualTo(DueState.DUE);
        assertThat(head(existing).contextTokens()).isGreaterThan(5_000);
        assertThat(head(existing).dueThreshold()).isEqualTo(9_000);
        assertThat(head(existing).dueState()).isEqualTo(DueState.NONE);

        services.compaction().compact(DueFixtures.TENANT, CompactionService.Target.conversation(existing), null, "manual",
                Instant.now().plusSeconds(30));

        ConversationHead compacted = head(existing);
        assertThat(compacted.dueThreshold()).isEqualTo(5_000);
        assertThat(compacted.dueState()).isEqualTo(compacted.contextTokens() >= 5_000 ? DueState.DUE : DueState.NONE);
    }

    @Test
    void aThresholdSetThroughTheAgentRoutesDecidesWhenItsConversationsAreDue() {
        try (LocalApi api = LocalApi.start()) {
            Map<String, Object> agent = new LinkedHashMap<>();
            agent.put("model", "local/extractive");
            agent.put("context_window_limit", DueFixtures.CONTEXT_WINDOW);
            agent.put("compaction_threshold", 0.3);
            String agentId = (String) api.http.post("/v1/agents/", agent).object().get("id");
            String underOwnThreshold = grownConversation(api, agentId);
            Map<String, Object> toDefault = new LinkedHashMap<>();
            toDefault.put("compaction_threshold", null);
            assertThat(api.http.patch("/v1/agents/" + agentId, toDefault).status()).isEqualTo(200);
            String underDeploymentThreshold = grownConversation(api, agentId);

            ConversationStore store = local.services(api.table).store();
            ConversationHead own = store.findConversation(DueFixtures.TENANT, underOwnThreshold).orElseThrow();
            ConversationHead deployments = store.findConversation(DueFixtures.TENANT, underDeploymentThreshold).orElseThrow();
            assertThat(own.contextTokens()).isBetween(3_000L, 8_999L);
            assertThat(own.dueThreshold()).isEqualTo(3_000);
            assertThat(own.dueState()).isEqualTo(DueState.DUE);
            assertThat(deployments.contextTokens()).isEqualTo(own.contextTokens());
            assertThat(deployments.dueThreshold()).isEqualTo(9_000);
            assertThat(deployments.dueState()).isEqualTo(DueState.NONE);
        }
    }

    /** A new conversation of the agent, grown over HTTP to between 30% and 90% of a 10,000-token window. */
    private static String grownConversation(LocalApi api, String agentId) {
        String id = (String) api.http.post("/v1/conversations/?agent_id=" + agentId, null).object().get("id");
        List<Map<String, Object>> turns = IntStream.range(0, 6).<Map<String, Object>>mapToObj(i -> Map.of(
                "role", i % 2 == 0 ? "user" : "assistant", "content", "Deployment notes, part " + i + ": " + "all green. ".repeat(180)))
                .toList();
        assertThat(api.http.post("/v1/conversations/" + id + "/messages/append", Map.of("messages", turns)).status()).isEqualTo(200);
        return id;
    }

    private ConversationHead head(String conversationId) {
        return services.store().findConversation(DueFixtures.TENANT, conversationId).orElseThrow();
    }
}
