package dev.compactor.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every file in events/ goes through the function the template wires it to, against DynamoDB Local. */
class EventsTest {
    static final Path EVENTS = Path.of("..", "events");

    static Stream<Path> events() throws IOException {
        try (Stream<Path> files = Files.list(EVENTS)) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList().stream();
        }
    }

    @Test
    void thereIsAnEventForEveryModeAndForTheSchedule() throws IOException {
        assertThat(events().map(p -> p.getFileName().toString())).contains("compact-all.json", "compact-sliding-window.json",
                "compact-self-compact-all.json", "compact-self-compact-sliding-window.json", "scheduled-batch.json");
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
        } else {
            // Small window: the seeded session is over its threshold, so the schedule finds it due.
            Seeder.seed(local.services(table).store(), Seeder.SAMPLE_AGENT_ID, "conv-11111111-2222-4333-8444-555555555555",
                    "local/extractive", 2_000);
            String function = local.template.functions().stream().filter(f -> f.eventInput() != null)
                    .map(SamTemplate.Function::logicalId).findFirst().orElseThrow();

            Map<String, Object> report = Json.parseObject(host.invoke(function, Files.readString(file)));

            assertThat(report).containsEntry("discovered", 1L).containsEntry("compacted", 1L);
            assertThat((List<Object>) report.get("failed")).isEmpty();
        }
    }

    private static String functionServing(String method, String resource, SamTemplate template) {
        return template.functions().stream()
                .filter(f -> f.routes().contains(new SamTemplate.Route(method, resource)))
                .map(SamTemplate.Function::logicalId).findFirst()
                .orElseThrow(() -> new AssertionError("no function in template.yaml serves " + method + " " + resource));
    }
}
