package dev.compactor.local.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.app.Services;
import dev.compactor.batch.Outcome;
import dev.compactor.conversation.Agent;
import dev.compactor.conversation.ConversationHead;
import dev.compactor.conversation.ConversationStore;
import dev.compactor.conversation.DueState;
import dev.compactor.local.runtime.FunctionHost;
import dev.compactor.local.runtime.LocalDueLoop;
import dev.compactor.local.runtime.LocalQueues;
import dev.compactor.local.testing.DueFixtures;
import dev.compactor.local.testing.Latches;
import dev.compactor.local.testing.TestDynamo;
import dev.compactor.local.testing.TestSqs;
import dev.compactor.support.Env;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Event-driven compaction end to end on this machine, as the template wires it and start-api runs
 * it: appends until a conversation is due, then the stream poller with the template's filter, the
 * due-stream function, the queue in ElasticMQ and the batch worker commit its compaction — with no
 * discovery run. Summaries come from the offline summarizer.
 */
class DueLoopTest {
    private final TestDynamo local = TestDynamo.get();
    private final String table = local.newTable();
    private final LocalQueues queues = TestSqs.get().newQueues();

    @Test
    void aConversationThatBecomesDueIsCompactedWithoutTheSchedule() {
        FunctionHost host = local.host(table, queues);
        ConversationStore store = Services.fromEnvironment(new Env(host.environment(local.template.function("ApiFunction")))).store();
        DueFixtures due = new DueFixtures(store);
        Agent agent = due.agent(DueFixtures.TENANT, null, null);
        String below = due.conversation(DueFixtures.TENANT, agent, 3_000);
        String conversation = due.conversation(DueFixtures.TENANT, agent, 3_000);
        List<Outcome> outcomes = new CopyOnWriteArrayList<>();
        CountDownLatch compacted = new CountDownLatch(1);

        try (host; DynamoDbStreamsClient streams = local.dynamo.streams();
             LocalDueLoop loop = LocalDueLoop.start(host, streams, local.dynamo.streamArn(table), queues, TestSqs.get().sqs.client(),
                     outcome -> {
                         outcomes.add(outcome);
                         compacted.countDown();
                     })) {
            due.grow(DueFixtures.TENANT, below, 6_000);
            due.grow(DueFixtures.TENANT, conversation, 9_000);

            Latches.await(compacted);

            ConversationHead head = store.findConversation(DueFixtures.TENANT, conversation).orElseThrow();
            assertThat(head.compactionGen()).isEqualTo(1);
            assertThat(head.dueState()).isEqualTo(DueState.NONE);
            assertThat(outcomes).singleElement().satisfies(o -> {
                assertThat(o.kind()).isEqualTo(Outcome.Kind.COMPACTED);
                assertThat(o.conversationId()).isEqualTo(conversation);
            });
            assertThat(loop.stream().invocations()).as("one invocation: the head entering the due state").isEqualTo(1);
            assertThat(store.findConversation(DueFixtures.TENANT, below).orElseThrow().compactionGen()).isZero();
        }
    }
}
