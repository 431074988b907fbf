package dev.compactor.batch;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.compactor.app.Services;
import dev.compactor.conversation.DueState;
import dev.compactor.support.Env;
import dev.compactor.support.Log;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.crac.Core;
import org.crac.Resource;

/**
 * Lambda entry point for the compaction queue's event source: compacts the batch's conversations
 * one after another (so the event source's maximum concurrency is the number of compactions at
 * once) and answers with the ids of the messages that failed, which go back to the queue
 * ({@code ReportBatchItemFailures}); compacted and skipped ones are deleted. The runtime reads the
 * event into {@link SQSEvent} and writes the {@link SQSBatchResponse}.
 */
public final class BatchWorkerHandler implements RequestHandler<SQSEvent, SQSBatchResponse>, Resource {
    /** A conversation is not started with less time left than this: its message goes back to the queue instead. */
    static final Duration MIN_TIME_PER_CONVERSATION = Duration.ofSeconds(20);
    private static final Duration RESERVE = Duration.ofSeconds(2);

    /** One record's message id and what became of it. */
    public record Processed(String messageId, Outcome outcome) {}

    private final Services services;
    private final BatchWorker worker;
    private final Clock clock;

    public BatchWorkerHandler() {
        this(Services.fromEnvironment(Env.system()));
    }

    public BatchWorkerHandler(Map<String, String> environment) {
        this(Services.fromEnvironment(new Env(environment)));
    }

    public BatchWorkerHandler(Services services) {
        this.services = services;
        this.worker = new BatchWorker(services.compaction());
        this.clock = services.clock();
        Core.getGlobalContext().register(this);
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        Instant deadline = clock.instant().plusMillis(context.getRemainingTimeInMillis()).minus(RESERVE);
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (Processed p : process(event, deadline)) {
            if (p.outcome().kind() == Outcome.Kind.FAILED) {
                failures.add(new SQSBatchResponse.BatchItemFailure(p.messageId()));
            }
        }
        return new SQSBatchResponse(failures);
    }

    /**
     * Processes an SQS event's records in order.
     *
     * @throws IllegalArgumentException when the event is not an SQS event (the whole batch is retried)
     */
    public List<Processed> process(SQSEvent event, Instant deadline) {
        List<SQSEvent.SQSMessage> records = records(event);
        List<Processed> processed = new ArrayList<>(records.size());
        for (SQSEvent.SQSMessage record : records) {
            Outcome outcome;
            if (clock.instant().plus(MIN_TIME_PER_CONVERSATION).isAfter(deadline)) {
                outcome = Outcome.failed(null, "not started: too little time left in this invocation");
            } else {
                outcome = compact(record.getBody(), deadline);
            }
            Log.info("batch.outcome", "message_id", record.getMessageId(), "conversation_id", outcome.conversationId(),
                    "outcome", outcome.kind().name().toLowerCase(Locale.ROOT), "reason", outcome.reason(),
                    "tokens_before", outcome.tokensBefore(), "tokens_after", outcome.tokensAfter());
            processed.add(new Processed(record.getMessageId(), outcome));
        }
        return processed;
    }

    private Outcome compact(String body, Instant deadline) {
        DueMessage message;
        try {
            message = DueMessage.parse(body);
        } catch (IllegalArgumentException e) {
            return Outcome.failed(null, "malformed message: " + e.getMessage());
        }
        return worker.compact(message, deadline);
    }

    private static List<SQSEvent.SQSMessage> records(SQSEvent event) {
        if (event == null || event.getRecords() == null) {
            throw new IllegalArgumentException("not an SQS event: no Records");
        }
        for (SQSEvent.SQSMessage record : event.getRecords()) {
            if (record == null || record.getMessageId() == null) {
                throw new IllegalArgumentException("not an SQS event: a record has no messageId");
            }
        }
        return event.getRecords();
    }

    /**
     * Before the SnapStart snapshot: process a batch of one message for a conversation that cannot
     * exist (the event types, the message's JSON, the store's read path, the skip), build the
     * default summarizer's client and write and read the providers' wire bodies. Nothing is written. Failures are ignored because priming is
     * only an optimisation.
     */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        try {
            SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
            message.setMessageId("snapstart-priming");
            message.setBody(new DueMessage("priming", "conv-00000000-0000-4000-8000-000000000000", 0, 0, DueState.DUE).toJson());
            SQSEvent event = new SQSEvent();
            event.setRecords(List.of(message));
            process(event, clock.instant().plus(MIN_TIME_PER_CONVERSATION).plusSeconds(5));
            services.primeSummarizers();
        } catch (RuntimeException e) {
            Log.warn("snapstart.priming_failed", "error", e.getClass().getSimpleName());
        }
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // Nothing to refresh: the clients reopen stale connections on first use.
    }
}
