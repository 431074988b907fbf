package dev.compactor.batch;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.compactor.app.AwsClients;
import dev.compactor.app.Services;
import dev.compactor.conversation.DueState;
import dev.compactor.support.Json;
import dev.compactor.support.Env;
import dev.compactor.support.Log;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Lambda entry point for the schedule: sends the conversations the due index lists to the
 * compaction queue (see {@link Discovery}). The event is the schedule's input,
 * {@code {"max_conversations": N}} (optional); the answer is what was sent.
 */
public final class DiscoveryHandler implements RequestStreamHandler {
    static final int DEFAULT_MAX_CONVERSATIONS = 10_000;
    static final int MAX_CONVERSATIONS_LIMIT = 1_000_000;
    static final Duration DEFAULT_IDLE_QUIET = Duration.ofMinutes(120);
    static final Duration DEFAULT_REQUEUE_AFTER = Duration.ofMinutes(360);
    /** Time kept back from the Lambda's remaining time for the answer. */
    private static final Duration RESERVE = Duration.ofSeconds(10);

    private final Discovery discovery;

    public DiscoveryHandler() {
        this(Services.fromEnvironment(Env.system()));
    }

    public DiscoveryHandler(Map<String, String> environment) {
        this(Services.fromEnvironment(new Env(environment)));
    }

    public DiscoveryHandler(Services services) {
        Env env = services.env();
        this.discovery = new Discovery(services.store(), SqsSender.compactionQueue(env, AwsClients.sqs(env)), services.clock(),
                minutes(env, Env.IDLE_QUIET_MINUTES, DEFAULT_IDLE_QUIET), minutes(env, Env.REQUEUE_AFTER_MINUTES, DEFAULT_REQUEUE_AFTER));
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String event = new String(input.readAllBytes(), StandardCharsets.UTF_8);
        Instant deadline = Instant.now().plusMillis(context.getRemainingTimeInMillis()).minus(RESERVE);
        output.write(Json.write(handle(event, deadline)).getBytes(StandardCharsets.UTF_8));
    }

    /** Runs discovery for one schedule event; returns the report. */
    public Map<String, Object> handle(String eventJson, Instant deadline) {
        int max = maxConversations(eventJson);
        long started = System.nanoTime();
        Discovery.Report report = discovery.run(max, deadline);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("sent", report.total());
        report.sent().forEach((state, count) -> json.put(state.name().toLowerCase(Locale.ROOT), count));
        json.put("moved_on", report.movedOn());
        json.put("more_left", report.stoppedEarly());
        Log.info("batch.discovery", "sent", report.total(), "due", report.sent().get(DueState.DUE),
                "idle", report.sent().get(DueState.IDLE), "requeued", report.sent().get(DueState.QUEUED),
                "moved_on", report.movedOn(), "more_left", report.stoppedEarly(),
                "duration_ms", (System.nanoTime() - started) / 1_000_000);
        return json;
    }

    private static int maxConversations(String eventJson) {
        if (eventJson == null || eventJson.isBlank()) {
            return DEFAULT_MAX_CONVERSATIONS;
        }
        Object max = Json.parseObject(eventJson).get("max_conversations");
        if (max == null) {
            return DEFAULT_MAX_CONVERSATIONS;
        }
        if (max instanceof Long n && n >= 1 && n <= MAX_CONVERSATIONS_LIMIT) {
            return n.intValue();
        }
        throw new IllegalArgumentException("max_conversations must be an integer from 1 to " + MAX_CONVERSATIONS_LIMIT + ", got " + max);
    }

    private static Duration minutes(Env env, String name, Duration fallback) {
        double minutes = env.number(name, fallback.toMinutes());
        if (!(minutes >= 0)) {
            throw new IllegalStateException(name + " must be a number of minutes, got " + minutes);
        }
        return Duration.ofSeconds(Math.round(minutes * 60));
    }
}
