package dev.compactor.local.runtime;

import dev.compactor.batch.BatchWorkerHandler;
import dev.compactor.batch.Outcome;
import java.time.Instant;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Event-driven compaction on this machine, the way the template wires it: the table's stream feeds
 * the due-stream function through the template's filter ({@link LocalStreamEventSource}), which
 * sends the conversations to the compaction queue, whose event source feeds the batch worker
 * ({@link LocalSqsEventSource}) — until closed.
 */
public final class LocalDueLoop implements AutoCloseable {
    private final LocalStreamEventSource stream;
    private final LocalSqsEventSource queue;

    private LocalDueLoop(LocalStreamEventSource stream, LocalSqsEventSource queue) {
        this.stream = stream;
        this.queue = queue;
    }

    /**
     * Starts both event sources; a record written to the table after this returns is seen.
     *
     * @param streamArn the table's stream in DynamoDB Local
     * @param finished told of each queue message's final outcome
     */
    public static LocalDueLoop start(FunctionHost host, DynamoDbStreamsClient streams, String streamArn, LocalQueues queues,
                                     SqsClient sqs, Consumer<Outcome> finished) {
        SamTemplate template = host.template();
        SamTemplate.Function worker = template.functions().stream().filter(f -> f.queueSource() != null).findFirst()
                .orElseThrow(() -> new IllegalStateException("no function with an SQS event source in the template"));
        SamTemplate.Queue queue = template.queue(worker.queueSource().queue());
        BatchWorkerHandler handler = (BatchWorkerHandler) host.handler(worker.logicalId());
        LocalSqsEventSource queueSource = new LocalSqsEventSource(sqs, queues.url(queue.logicalId()), queues.arns().get(queue.logicalId()),
                worker.queueSource(), queue.maxReceiveCount(),
                event -> handler.process(event, Instant.now().plusSeconds(worker.timeoutSeconds())), finished);
        queueSource.start(worker.queueSource().maximumConcurrency());
        try {
            return new LocalDueLoop(stream(host, streams, streamArn), queueSource);
        } catch (RuntimeException e) {
            queueSource.close();
            throw e;
        }
    }

    /**
     * The stream side alone: the template's stream function fed from the table's stream, sending to
     * the queue whatever drains it (the scheduled batch's event source).
     */
    public static LocalStreamEventSource stream(FunctionHost host, DynamoDbStreamsClient streams, String streamArn) {
        SamTemplate.Function function = host.template().functions().stream().filter(f -> f.streamSource() != null).findFirst()
                .orElseThrow(() -> new IllegalStateException("no function with a DynamoDB stream event source in the template"));
        if (streamArn == null) {
            throw new IllegalStateException("the local table has no stream; the template's table declares one");
        }
        return LocalStreamEventSource.start(streams, streamArn, function.streamSource(), event -> host.invoke(function.logicalId(), event));
    }

    /** The stream side, for what it read and delivered. */
    public LocalStreamEventSource stream() {
        return stream;
    }

    @Override
    public void close() {
        try {
            stream.close();
        } finally {
            queue.close();
        }
    }
}
