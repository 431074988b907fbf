package dev.compactor.local.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.compactor.app.AwsClients;
import dev.compactor.app.Services;
import dev.compactor.batch.DiscoveryHandler;
import dev.compactor.batch.DueMessage;
import dev.compactor.batch.DueStreamHandler;
import dev.compactor.compaction.CompactionService;
import dev.compactor.conversation.Agent;
import dev.compactor.conversation.CompactionLease;
import dev.compactor.conversation.DueState;
import dev.compactor.local.runtime.LocalStreamEventSource;
import dev.compactor.local.runtime.LocalStreamEventSource.Target;
import dev.compactor.local.runtime.RuntimeSerialization;
import dev.compactor.local.runtime.SamTemplate;
import dev.compactor.local.runtime.StreamFilter;
import dev.compactor.local.testing.DueFixtures;
import dev.compactor.local.testing.StreamRecords;
import dev.compactor.local.testing.TestDynamo;
import dev.compactor.local.testing.TestSqs;
import dev.compactor.support.Env;
import dev.compactor.support.JsonMapper;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * The due stream: the template's filter evaluated on the records DynamoDB Local's stream really
 * holds lets through exactly the head writes that enter the due state, and the stream function
 * sends such a conversation once per generation, whether the stream or the schedule finds it first.
 */
class DueStreamTest {
    private final TestDynamo local = TestDynamo.get();
    private final String table = local.newTable();
    private final dev.compactor.local.runtime.LocalQueues queues = TestSqs.get().newQueues();
    private final Env env = local.discoveryEnv(table, queues, Map.of());
    private final Services services = new Services(env, AwsClients.dynamo(env), new DueFixtures.Summaries(), java.time.Clock.systemUTC());
    private final DueFixtures due = new DueFixtures(services.store());
    private final SamTemplate.StreamSource source = local.template.function("DueStreamFunction").streamSource();
    private final DynamoDbStreamsClient streams = local.dynamo.streams();

    @AfterEach
    void close() {
        streams.close();
    }

    @Test
    void theTemplatesFilterPassesOnlyTheHeadWriteThatEntersTheDueState() {
        Agent agent = due.agent(DueFixtures.TENANT, null, null);
        String conversation = due.conversation(DueFixtures.TENANT, agent, 3_000);
        due.grow(DueFixtures.TENANT, conversation, 6_000);
        due.grow(DueFixtures.TENANT, conversation, 9_000);
        due.grow(DueFixtures.TENANT, conversation, 9_500);
        services.compaction().compact(DueFixtures.TENANT, CompactionService.Target.conversation(conversation), null, "manual",
                Instant.now().plusSeconds(30));

        List<ObjectNode> records = StreamRecords.readAll(streams, local.dynamo.streamArn(table));
        StreamFilter filter = StreamFilter.of(source.filterPatterns());
        List<ObjectNode> passed = records.stream().filter(filter::matches).toList();

        assertThat(records).as("appends, the head's moves and the compaction's writes are all on the stream").hasSizeGreaterThan(20);
        assertThat(records).anySatisfy(r -> assertThat(r.path("dynamodb").path("OldImage").path("due_pk").path("S").asText())
                .as("a write to a head already due").startsWith("DUE#"));
        assertThat(passed).singleElement().satisfies(r -> {
            assertThat(r.path("eventName").asText()).isEqualTo("MODIFY");
            assertThat(r.path("dynamodb").path("NewImage").path("conversation_id").path("S").asText()).isEqualTo(conversation);
            assertThat(r.path("dynamodb").path("NewImage").path("due_pk").path("S").asText()).startsWith("DUE#");
            assertThat(r.path("dynamodb").path("OldImage").path("due_pk").has("S")).isFalse();
        });
    }

    @Test
    void aCompactionsHeartbeatOnADueHeadPassesNothing() {
        Agent agent = due.agent(DueFixtures.TENANT, null, null);
        String conversation = due.conversation(DueFixtures.TENANT, agent, 3_000);
        due.grow(DueFixtures.TENANT, conversation, 9_000);
        assertThat(services.store().findConversation(DueFixtures.TENANT, conversation).orElseThrow().dueState()).isEqualTo(DueState.DUE);
        CompactionLease lease = new CompactionLease(0, CompactionLease.Holder.DUE, "beating-worker", Instant.now().plusSeconds(30));
        assertThat(services.store().takeLease(DueFixtures.TENANT, conversation, lease)).isEmpty();
        assertThat(services.store().renewLease(DueFixtures.TENANT, conversation, lease.renewedTo(lease.until().plusSeconds(10)))).isTrue();
        assertThat(services.store().renewLease(DueFixtures.TENANT, conversation, lease.renewedTo(lease.until().plusSeconds(20)))).isTrue();

        StreamFilter filter = StreamFilter.of(source.filterPatterns());
        List<ObjectNode> beats = StreamRecords.readAll(streams, local.dynamo.streamArn(table)).stream()
                .filter(r -> r.path("dynamodb").path("OldImage").has("lease_id")
                        && !r.path("dynamodb").path("OldImage").path("lease_until").equals(r.path("dynamodb").path("NewImage").path("lease_until")))
                .toList();

        assertThat(beats).hasSize(2).allSatisfy(r -> {
            assertThat(r.path("dynamodb").path("NewImage").path("due_pk").path("S").asText()).startsWith("DUE#");
            assertThat(filter.matches(r)).as("a heartbeat invokes nothing").isFalse();
        });
    }

    @Test
    void aHeadLeavingTheIdleOrQueuedStateForDuePassesAndDeletesDoNot() {
        StreamFilter filter = StreamFilter.of(source.filterPatterns());

        assertThat(filter.matches(record("MODIFY", "IDLE#3", "DUE#3"))).isTrue();
        assertThat(filter.matches(record("MODIFY", "QUEUED#15", "DUE#15"))).isTrue();
        assertThat(filter.matches(record("MODIFY", null, "DUE#0"))).isTrue();
        assertThat(filter.matches(record("MODIFY", "DUE#15", "DUE#15"))).isFalse();
        assertThat(filter.matches(record("MODIFY", "DUE#1", "QUEUED#1"))).isFalse();
        assertThat(filter.matches(record("MODIFY", null, "IDLE#2"))).isFalse();
        assertThat(filter.matches(record("REMOVE", "DUE#4", null))).isFalse();
        assertThat(source.filterPatterns().get(1)).as("every DUE partition is named")
                .contains("\"DUE#" + (DueState.SHARDS - 1) + "\"").doesNotContain("\"DUE#" + DueState.SHARDS + "\"");
    }

    @Test
    void theStreamFunctionSendsAConversationOncePerGenerationAndTheScheduleDoesNotSendItAgain() {
        DueStreamHandler handler = new DueStreamHandler(services);
        Agent agent = due.agent(DueFixtures.TENANT, null, null);
        String conversation = due.conversation(DueFixtures.TENANT, agent, 3_000);
        List<String> events = new CopyOnWriteArrayList<>();
        Target recorder = json -> {
            events.add(json);
            return RuntimeSerialization.write(handler.handleRequest(RuntimeSerialization.read(json, DynamodbEvent.class), null),
                    com.amazonaws.services.lambda.runtime.events.StreamsEventResponse.class);
        };
        try (LocalStreamEventSource stream = LocalStreamEventSource.start(streams, local.dynamo.streamArn(table), source, recorder)) {
            due.grow(DueFixtures.TENANT, conversation, 9_000);
            List<String> sent = TestSqs.get().receive(queues.url("CompactionQueue"), 1);

            assertThat(sent).singleElement().satisfies(body -> {
                DueMessage message = DueMessage.parse(body);
                assertThat(message.conversationId()).isEqualTo(conversation);
                assertThat(message.generation()).isZero();
                assertThat(message.listedAs()).isEqualTo(DueState.DUE);
            });
            assertThat(services.store().findConversation(DueFixtures.TENANT, conversation).orElseThrow().dueState())
                    .isEqualTo(DueState.QUEUED);
            // Lambda may deliver a batch again: the head is queued, so nothing is sent twice.
            DueStreamHandler.Handled again = handler.handle(RuntimeSerialization.read(events.get(0), DynamodbEvent.class));
            assertThat(again.sent()).isZero();
            assertThat(again.movedOn()).isEqualTo(1);
            assertThat(new DiscoveryHandler(services).handle(DiscoveryTest.scheduled(null), Instant.now().plusSeconds(60)).sent())
                    .isZero();
            assertThat(TestSqs.get().drain(queues.url("CompactionQueue"))).isEmpty();
            assertThat(events).hasSize(1);
        }
    }

    /** A head's stream record with the given due partitions before and after (null: none, or no image). */
    private static ObjectNode record(String event, String oldPartition, String newPartition) {
        ObjectNode json = JsonMapper.MAPPER.createObjectNode();
        json.put("eventName", event);
        ObjectNode dynamodb = json.putObject("dynamodb");
        if (!event.equals("INSERT")) {
            ObjectNode old = dynamodb.putObject("OldImage");
            if (oldPartition != null) {
                old.putObject("due_pk").put("S", oldPartition);
            }
        }
        if (!event.equals("REMOVE")) {
            ObjectNode now = dynamodb.putObject("NewImage");
            if (newPartition != null) {
                now.putObject("due_pk").put("S", newPartition);
            }
        }
        return json;
    }
}
