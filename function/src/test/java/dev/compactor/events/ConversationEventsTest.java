package dev.compactor.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.compactor.support.AwsJsonCall;
import dev.compactor.support.Json;
import dev.compactor.support.Metrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The events' JSON, and what the publisher does when EventBridge refuses an entry. */
class ConversationEventsTest {
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger refusals = new AtomicInteger();
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void aPurgesDetailNamesTheConversationAndCountsWhatWentAndNothingMore() {
        ConversationPurged purged = new ConversationPurged("acme", "conv-11111111-2222-4333-8444-555555555555",
                "agent-11111111-2222-4333-8444-555555555555", 7, 1_204);

        assertThat(Json.write(purged)).isEqualTo("{\"tenant\":\"acme\",\"conversation_id\":\"conv-11111111-2222-4333-8444-555555555555\","
                + "\"agent_id\":\"agent-11111111-2222-4333-8444-555555555555\",\"generation\":7,\"items_deleted\":1204,"
                + "\"trigger\":\"manual\",\"outcome\":\"purged\"}");
        assertThat(purged.detailType()).isEqualTo("Conversation Purged");
    }

    @Test
    @SuppressWarnings("unchecked")
    void publishPurgedSendsOnePutEventsEntryOnTheBus() throws IOException {
        EventPublisher publisher = publisher(0);

        publisher.publishPurged("acme", "conv-11111111-2222-4333-8444-555555555555", null, 2, 10);

        assertThat(requests).singleElement().satisfies(body -> {
            Map<String, Object> entry = (Map<String, Object>) ((List<?>) Json.parseObject(body).get("Entries")).get(0);
            assertThat(entry).containsEntry("Source", "compactor").containsEntry("DetailType", "Conversation Purged")
                    .containsEntry("EventBusName", "compaction-events");
            assertThat(Json.parseObject((String) entry.get("Detail"))).containsEntry("items_deleted", 10L).containsEntry("agent_id", null);
        });
    }

    @Test
    void aRefusedEntryIsSentAgainAndGivenUpWithALogLineAfterTheLastAttempt() throws IOException {
        EventPublisher once = publisher(1);
        once.publish(new CompactionReverted("acme", "conv-11111111-2222-4333-8444-555555555555", null, 3, 2, 1));
        assertThat(requests).hasSize(2);

        requests.clear();
        stop();
        EventPublisher never = publisher(Integer.MAX_VALUE);
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream metrics = new ByteArrayOutputStream();
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        System.setOut(new PrintStream(metrics, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
        try {
            never.publish(new CompactionReverted("acme", "conv-11111111-2222-4333-8444-555555555555", null, 3, 2, 1));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
        assertThat(requests).hasSize(EventBridgePublisher.MAX_ATTEMPTS);
        assertThat(logs.toString(StandardCharsets.UTF_8)).contains("events.publish_failed").contains("ThrottlingException");
        assertThat(metrics.toString(StandardCharsets.UTF_8)).contains("EventsNotPublished");
    }

    /** A publisher to a local PutEvents endpoint that refuses the first {@code refused} entries. */
    private EventPublisher publisher(int refused) throws IOException {
        refusals.set(refused);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            boolean refuse = refusals.getAndDecrement() > 0;
            byte[] answer = (refuse ? "{\"FailedEntryCount\":1,\"Entries\":[{\"ErrorCode\":\"ThrottlingException\",\"ErrorMessage\":\"slow down\"}]}"
                    : "{\"FailedEntryCount\":0,\"Entries\":[{\"EventId\":\"e-1\"}]}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        AwsJsonCall call = new AwsJsonCall("events", "us-east-1", URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")), Duration.ofSeconds(5));
        return new EventBridgePublisher("compaction-events", call, new Metrics("Compaction", Clock.systemUTC()));
    }
}
