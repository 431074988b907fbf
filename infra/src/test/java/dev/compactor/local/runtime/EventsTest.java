package dev.compactor.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.batch.DueMessage;
import dev.compactor.local.command.Seeder;
import dev.compactor.local.runtime.LocalQueues;
import dev.compactor.local.testing.TestDynamo;
import dev.compactor.local.testing.TestSqs;
import dev.compactor.support.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file in events/ goes through the function the template wires it to, against DynamoDB Local
 * (and ElasticMQ for the schedule, whose function sends to the queue).
 */
public class EventsTest {
    static final Path EVENTS = Path.of("..", "events");

    static Stream<Path> events() throws IOException {
        try (Stream<Path> files = Files.list(EVENTS)) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList().stream();
        }
    }

    @Test
    void thereIsAnEventForEveryModeTheScheduleAndTheQueue() throws IOException {
        assertThat(events().map(p -> p.getFileName().toString())).contains("compact-all.json", "compact-sliding-window.json",
                "compact-self-compact-all.json", "compact-self-compact-sliding-window.json", "scheduled-batch.json",
                "sqs-batch.json");
    }

    @ParameterizedTest
    @MethodSource("events")
    @SuppressWarnings("unchecked")
    void eventRunsThroughItsHandler(Path file) throws IOException {
        Map<String, Object> event = Json.parseObject(Files.readString(file));
        TestDynamo local = TestDynamo.get();
        String table = local.newTable();
        FunctionHost host = local.host(table);

        if (event.containsKey("httpMethod")) {
            String conversationId = ((Map<String, String>) event.get("pathParameters")).get("conversation_id");
            Seeder.seed(local.services(table).store(), Seeder.SAMPLE_AGENT_ID, conversationId, "local/extractive",
                    Seeder.CONTEXT_WINDOW);
            String function = functionServing((String) event.get("httpMethod"), (String) event.get("resource"), local.template);

            Map<String, Object> response = Json.parseObject(host.invoke(function, Files.readString(file)));

            assertThat(response.get("statusCode")).as(response.toString()).isEqualTo(200L);
            Map<String, Object> body = Json.parseObject((String) response.get("body"));
            String requestedMode = (String) ((Map<String, Object>) Json.parseObject((String) event.get("body"))
                    .get("compaction_settings")).get("mode");
            assertThat((Map<String, Object>) body.get("compaction")).containsEntry("mode_used", requestedMode);
            assertThat((String) body.get("summary")).isNotBlank();
            assertThat((Long) body.get("num_messages_after")).isLessThan((Long) body.get("num_messages_before"));
        } else if (event.containsKey("Records")) {
            // Small window: each seeded session is over its threshold, as the queue's messages say.
            List<String> conversations = ((List<Map<String, Object>>) event.get("Records")).stream()
                    .map(r -> DueMessage.parse((String) r.get("body")).conversationId()).toList();
            for (String conversationId : conversations) {
                Seeder.seed(local.services(table).store(), Seeder.SAMPLE_AGENT_ID, conversationId, "local/extractive", 2_000);
            }
            String function = local.template.functions().stream().filter(f -> f.queueSource() != null)
                    .map(SamTemplate.Function::logicalId).findFirst().orElseThrow();

            Map<String, Object> response = Json.parseObject(host.invoke(function, Files.readString(file)));

            assertThat(response).isEqualTo(Map.of("batchItemFailures", List.of()));
            for (String conversationId : conversations) {
                assertThat(local.services(table).store().findConversation(Seeder.TENANT, conversationId).orElseThrow().compactionGen())
                        .isEqualTo(1);
            }
        } else {
            // Small window: the seeded session is over its threshold, so the schedule finds it due.
            String conversationId = "conv-11111111-2222-4333-8444-555555555555";
            Seeder.seed(local.services(table).store(), Seeder.SAMPLE_AGENT_ID, conversationId, "local/extractive", 2_000);
            LocalQueues queues = TestSqs.get().newQueues();
            String function = local.template.functions().stream().filter(f -> f.eventInput() != null)
                    .map(SamTemplate.Function::logicalId).findFirst().orElseThrow();

            Map<String, Object> report = Json.parseObject(local.host(table, queues).invoke(function, Files.readString(file)));

            assertThat(report).containsEntry("sent", 1L).containsEntry("due", 1L);
            assertThat(TestSqs.get().drain(queues.url("CompactionQueue"))).singleElement()
                    .satisfies(body -> assertThat(DueMessage.parse(body).conversationId()).isEqualTo(conversationId));
        }
    }

    private static String functionServing(String method, String resource, SamTemplate template) {
        return template.functionServing(method, resource).map(SamTemplate.Function::logicalId)
                .orElseThrow(() -> new AssertionError("no function in template.yaml serves " + method + " " + resource));
    }
}
