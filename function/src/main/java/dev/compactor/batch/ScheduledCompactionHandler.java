package dev.compactor.batch;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.compactor.json.Json;
import dev.compactor.runtime.Env;
import dev.compactor.runtime.Log;
import dev.compactor.runtime.Services;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Lambda entry point for the schedule: compacts conversations that passed their threshold.
 * The event is the schedule's input, {@code {"max_conversations": N}} (optional).
 */
public final class ScheduledCompactionHandler implements RequestStreamHandler {
    static final int DEFAULT_MAX_CONVERSATIONS = 100;
    private static final Duration RESERVE = Duration.ofSeconds(5);

    private final BatchCompactor batch;

    public ScheduledCompactionHandler() {
        this(Services.fromEnvironment(Env.system()));
    }

    public ScheduledCompactionHandler(Map<String, String> environment) {
        this(Services.fromEnvironment(new Env(environment)));
    }

    public ScheduledCompactionHandler(Services services) {
        this.batch = new BatchCompactor(services.store(), services.compaction(), services.clock());
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String event = new String(input.readAllBytes(), StandardCharsets.UTF_8);
        Instant deadline = context == null ? Instant.now().plus(Duration.ofMinutes(5))
                : Instant.now().plusMillis(context.getRemainingTimeInMillis()).minus(RESERVE);
        Map<String, Object> report = handle(event, deadline);
        output.write(Json.write(report).getBytes(StandardCharsets.UTF_8));
    }

    public Map<String, Object> handle(String eventJson, Instant deadline) {
        int max = DEFAULT_MAX_CONVERSATIONS;
        Object parsed = eventJson == null || eventJson.isBlank() ? null : Json.parse(eventJson);
        if (parsed instanceof Map<?, ?> event && event.get("max_conversations") instanceof Number n) {
            max = (int) Math.max(1, Math.min(10_000, n.longValue()));
        }
        long started = System.nanoTime();
        BatchReport report = batch.run(max, deadline);
        Map<String, Object> json = report.toJson();
        Log.info("batch.done", "discovered", json.get("discovered"), "compacted", json.get("compacted"),
                "skipped", ((java.util.List<?>) json.get("skipped")).size(), "failed", ((java.util.List<?>) json.get("failed")).size(),
                "duration_ms", (System.nanoTime() - started) / 1_000_000);
        return json;
    }
}
