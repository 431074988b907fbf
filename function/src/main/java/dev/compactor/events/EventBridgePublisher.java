package dev.compactor.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.compactor.support.AwsJsonCall;
import dev.compactor.support.Backoff;
import dev.compactor.support.Json;
import dev.compactor.support.Log;
import dev.compactor.support.Metrics;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Publishes to an EventBridge bus with {@code PutEvents}, signed by hand through
 * {@link AwsJsonCall} (the SDK's EventBridge module would add to the artifact for this one call;
 * see function/README). The call retries throttling, 5xx answers and failed connections itself;
 * an entry EventBridge refuses is sent again, {@link #MAX_ATTEMPTS} times in all, waiting as
 * {@link Backoff#AWS} says. Then the event is given up: the log line {@code events.publish_failed}
 * and the metric {@code EventsNotPublished} say so, and the committed change stands.
 */
public final class EventBridgePublisher implements EventPublisher {
    static final int MAX_ATTEMPTS = 3;
    private static final Map<String, String> HEADERS = Map.of("X-Amz-Target", "AWSEvents.PutEvents",
            "Content-Type", "application/x-amz-json-1.1");

    /** One PutEvents entry. */
    record Entry(@JsonProperty("Source") String source, @JsonProperty("DetailType") String detailType,
                 @JsonProperty("Detail") String detail, @JsonProperty("EventBusName") String eventBusName) {}

    /** The PutEvents request. */
    record PutEvents(@JsonProperty("Entries") List<Entry> entries) {}

    private final String busName;
    private final AwsJsonCall events;
    private final Metrics metrics;

    /** @param busName the bus's name or ARN ({@code default} for the account's default bus) */
    public EventBridgePublisher(String busName, AwsJsonCall events, Metrics metrics) {
        this.busName = busName;
        this.events = events;
        this.metrics = metrics;
    }

    @Override
    public void publish(ConversationEvent event) {
        PutEvents request = new PutEvents(List.of(new Entry(ConversationEvent.SOURCE, event.detailType(), Json.write(event), busName)));
        String failure = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try {
                if (attempt > 1) {
                    Thread.sleep(Backoff.AWS.delay(attempt - 1, RandomGenerator.getDefault()));
                }
                AwsJsonCall.Response response = events.post("/", HEADERS, request);
                failure = refusal(response);
                if (failure == null) {
                    return;
                }
            } catch (IOException e) {
                failure = "unreachable: " + e.getClass().getSimpleName();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = "interrupted";
                break;
            }
        }
        Log.error("events.publish_failed", "detail_type", event.detailType(), "tenant", event.tenant(),
                "conversation_id", event.conversationId(), "error", failure);
        metrics.emit(Map.of(), List.of(List.of()), List.of(new Metrics.Metric("EventsNotPublished", 1, "Count")), Map.of());
    }

    /** Why the answer is not a published entry, or null when it is. */
    private static String refusal(AwsJsonCall.Response response) {
        if (response.status() != 200) {
            return "HTTP " + response.status() + " " + response.errorType();
        }
        JsonNode json = response.json();
        if (json.path("FailedEntryCount").asInt(0) == 0) {
            return null;
        }
        JsonNode entry = json.path("Entries").path(0);
        return entry.path("ErrorCode").asText("refused") + ": " + entry.path("ErrorMessage").asText("");
    }
}
