package dev.compactor.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.compaction.CompactionService;
import dev.compactor.conversation.Agent;
import dev.compactor.conversation.ConversationHead;
import dev.compactor.conversation.DueState;
import dev.compactor.runtime.Services;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * An agent's own compaction threshold, against DynamoDB Local: stored with the agent, taken by its
 * new conversations at once, and by an existing conversation at its next compaction (its head
 * keeps a copy, so appends never read the agent).
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
                agent.contextWindow(), agent.system(), agent.timezone(), agent.compactionSettings(), agent.createdAt(), 0.5));

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

    private ConversationHead head(String conversationId) {
        return services.store().findConversation(DueFixtures.TENANT, conversationId).orElseThrow();
    }
}
