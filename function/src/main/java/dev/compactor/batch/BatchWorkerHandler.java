package dev.compactor.batch;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.compactor.app.Services;
import dev.compactor.support.Json;
import dev.compactor.support.Env;
import dev.compactor.support.Log;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Lambda entry point for the compaction queue's event source: compacts the batch's conversations
 * one after another (so the event source's maximum concurrency is the number of compactions at
 * once) and answers with the ids of the messages that failed, which go back to the queue
 * ({@code ReportBatchItemFailures}); compacted and skipped ones are deleted.
 */
public final class BatchWorkerHandler implements RequestStreamHandler {
    /** A conversation is not started with less time left than this: its message goes back to the queue instead. */
    static final Duration MIN_TIME_PER_CONVERSATION = Duration.ofSeconds(20);
    private static final Duration RESERVE = Duration.ofSeconds(2);

    /** One record's message id and what became of it. */
    public record Processed(String messageId, Outcome outcome) {}

    private final BatchWorker worker;
    private final Clock clock;

    public BatchWorkerHandler() {
        this(Services.fromEnvironment(Env.system()));
    }

    public BatchWorkerHandler(Map<String, String> environment) {
        this(Services.fromEnvironment(new Env(environment)));
    }

    public BatchWorkerHandler(Services services) {
        this.worker = new BatchWorker(services.compaction());
        this.clock = services.clock();
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String event = new String(input.readAllBytes(), StandardCharsets.UTF_8);
        Instant deadline = clock.instant().plusMillis(context.getRemainingTimeInMillis()).minus(RESERVE);
        List<Map<String, String>> failures = new ArrayList<>();
        for (Processed p : process(event, deadline)) {
            if (p.outcome().kind() == Outcome.Kind.FAILED) {
                failures.add(Map.of("itemIdentifier", p.messageId()));
            }
        }
        output.write(Json.write(Map.of("batchItemFailures", failures)).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Processes an SQS event's records in order.
     *
     * @throws IllegalArgumentException when the event is not an SQS event (the whole batch is retried)
     */
    public List<Processed> process(String eventJson, Instant deadline) {
        List<Processed> processed = new ArrayList<>();
        for (Map<?, ?> record : records(eventJson)) {
            String messageId = (String) record.get("messageId");
            Outcome outcome;
            if (clock.instant().plus(MIN_TIME_PER_CONVERSATION).isAfter(deadline)) {
                outcome = Outcome.failed(null, "not started: too little time left in this invocation");
            } else {
                outcome = compact(record.get("body"), deadline);
            }
            Log.info("batch.outcome", "message_id", messageId, "conversation_id", outcome.conversationId(),
                    "outcome", outcome.kind().name().toLowerCase(Locale.ROOT), "reason", outcome.reason(),
                    "tokens_before", outcome.tokensBefore(), "tokens_after", outcome.tokensAfter());
            processed.add(new Processed(messageId, outcome));
        }
        return processed;
    }

    private Outcome compact(Object body, Instant deadline) {
        DueMessage message;
        try {
            message = DueMessage.parse(body instanceof String s ? s : null);
        } catch (IllegalArgumentException e) {
            return Outcome.failed(null, "malformed message: " + e.getMessage());
        }
        return worker.compact(message, deadline);
    }

    private static List<Map<?, ?>> records(String eventJson) {
        Object records = Json.parseObject(eventJson).get("Records");
        if (!(records instanceof List<?> list)) {
            throw new IllegalArgumentException("not an SQS event: no Records");
        }
        List<Map<?, ?>> out = new ArrayList<>(list.size());
        for (Object r : list) {
            if (!(r instanceof Map<?, ?> record) || !(record.get("messageId") instanceof String)) {
                throw new IllegalArgumentException("not an SQS event: a record has no messageId");
            }
            out.add(record);
        }
        return out;
    }
}
