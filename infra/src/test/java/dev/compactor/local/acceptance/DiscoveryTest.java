package dev.compactor.local.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.compactor.app.AwsClients;
import dev.compactor.app.Services;
import dev.compactor.batch.DiscoveryHandler;
import dev.compactor.batch.DueMessage;
import dev.compactor.compaction.CompactionService;
import dev.compactor.conversation.Agent;
import dev.compactor.conversation.DueState;
import dev.compactor.local.runtime.LocalQueues;
import dev.compactor.local.testing.DueFixtures;
import dev.compactor.local.testing.ShiftedClock;
import dev.compactor.local.testing.TestDynamo;
import dev.compactor.local.testing.TestSqs;
import dev.compactor.support.Env;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Scheduled discovery against DynamoDB Local and ElasticMQ: it sends exactly the conversations the
 * due index lists — over their agent's threshold (the deployment's or the agent's own), or idle
 * above the idle threshold for the quiet time — each once per generation, and sends again those
 * queued long ago and still not compacted. Time is a shifted clock, shared by appends and discovery.
 */
class DiscoveryTest {
    private static final String OTHER_TENANT = "other";
    private final TestDynamo local = TestDynamo.get();
    private final String table = local.newTable();
    private final LocalQueues queues = TestSqs.get().newQueues();
    private final ShiftedClock clock = new ShiftedClock();
    private final Env env = local.discoveryEnv(table, queues, Map.of("IDLE_THRESHOLD_FRACTION", "0.5", "IDLE_QUIET_MINUTES", "120",
            "REQUEUE_AFTER_MINUTES", "360"));
    private final Services services = new Services(env, AwsClients.dynamo(env), new DueFixtures.Summaries(), clock);
    private final DueFixtures due = new DueFixtures(services.store());
    private final DiscoveryHandler discovery = new DiscoveryHandler(services);

    @Test
    void sendsExactlyTheDueConversationsOncePerGenerationAndAgainWhenNeverCompacted() {
        Agent agent = due.agent(DueFixtures.TENANT, null, null);
        Agent lowThreshold = due.agent(DueFixtures.TENANT, 0.3, null);
        Agent otherTenants = due.agent(OTHER_TENANT, null, null);
        String over = due.conversation(DueFixtures.TENANT, agent, 9_000);
        String overElsewhere = due.conversation(OTHER_TENANT, otherTenants, 9_000);
        String overItsAgentsThreshold = due.conversation(DueFixtures.TENANT, lowThreshold, 3_500);
        String quietAboveIdle = due.conversation(DueFixtures.TENANT, agent, 5_500);
        String below = due.conversation(DueFixtures.TENANT, agent, 2_000);
        String compacted = due.conversation(DueFixtures.TENANT, agent, 9_000);
        services.compaction().compact(DueFixtures.TENANT, CompactionService.Target.conversation(compacted), null, "manual",
                clock.instant().plusSeconds(30));
        assertThat(due.tokens(DueFixtures.TENANT, compacted)).isBetween(5_000L, 8_999L);
        clock.advance(Duration.ofHours(3));
        String activeAboveIdle = due.conversation(DueFixtures.TENANT, agent, 5_500);
        due.grow(DueFixtures.TENANT, over, 9_500);

        DiscoveryHandler.Sent first = discovery.handle(scheduled(100), deadline());

        assertThat(sent()).containsExactlyInAnyOrder(
                key(DueFixtures.TENANT, over, 0, DueState.DUE), key(OTHER_TENANT, overElsewhere, 0, DueState.DUE),
                key(DueFixtures.TENANT, overItsAgentsThreshold, 0, DueState.DUE),
                key(DueFixtures.TENANT, quietAboveIdle, 0, DueState.IDLE), key(DueFixtures.TENANT, compacted, 1, DueState.IDLE));
        assertThat(first).extracting(DiscoveryHandler.Sent::sent, DiscoveryHandler.Sent::due, DiscoveryHandler.Sent::idle,
                DiscoveryHandler.Sent::moreLeft).containsExactly(5, 3, 2, false);
        assertThat(services.store().findConversation(DueFixtures.TENANT, below).orElseThrow().dueState()).isEqualTo(DueState.NONE);
        assertThat(services.store().findConversation(DueFixtures.TENANT, activeAboveIdle).orElseThrow().dueState())
                .isEqualTo(DueState.IDLE);

        DiscoveryHandler.Sent again = discovery.handle(scheduled(null), deadline());

        assertThat(again.sent()).isZero();
        assertThat(sent()).isEmpty();

        clock.advance(Duration.ofHours(7));
        discovery.handle(scheduled(null), deadline());

        assertThat(sent()).containsExactlyInAnyOrder(
                key(DueFixtures.TENANT, over, 0, DueState.QUEUED), key(OTHER_TENANT, overElsewhere, 0, DueState.QUEUED),
                key(DueFixtures.TENANT, overItsAgentsThreshold, 0, DueState.QUEUED),
                key(DueFixtures.TENANT, quietAboveIdle, 0, DueState.QUEUED), key(DueFixtures.TENANT, compacted, 1, DueState.QUEUED),
                key(DueFixtures.TENANT, activeAboveIdle, 0, DueState.IDLE));
    }

    @Test
    void aRunSendsNoMoreThanItsMaximumAndSaysMoreIsLeft() {
        Agent agent = due.agent(DueFixtures.TENANT, 0.1, null);
        for (int i = 0; i < 5; i++) {
            due.conversation(DueFixtures.TENANT, agent, 1_000);
        }

        DiscoveryHandler.Sent capped = discovery.handle(scheduled(3), deadline());

        assertThat(capped).extracting(DiscoveryHandler.Sent::sent, DiscoveryHandler.Sent::moreLeft).containsExactly(3, true);
        assertThat(sent()).hasSize(3);
        assertThat(discovery.handle(scheduled(3), deadline()).sent()).isEqualTo(2);
        assertThat(sent()).hasSize(2);
    }

    /** The schedule's event, with {@code detail.max_conversations} when {@code max} is given. */
    static ScheduledEvent scheduled(Integer max) {
        ScheduledEvent event = new ScheduledEvent();
        event.setDetailType("Scheduled Event");
        event.setSource("aws.scheduler");
        event.setDetail(max == null ? Map.of() : Map.of("max_conversations", max));
        return event;
    }

    private Set<String> sent() {
        return TestSqs.get().drain(queues.url("CompactionQueue")).stream().map(DueMessage::parse)
                .map(m -> key(m.tenant(), m.conversationId(), m.generation(), m.listedAs())).collect(Collectors.toSet());
    }

    private static String key(String tenant, String conversationId, long generation, DueState listedAs) {
        return tenant + "/" + conversationId + "@" + generation + " " + listedAs;
    }

    private Instant deadline() {
        return clock.instant().plusSeconds(60);
    }
}
