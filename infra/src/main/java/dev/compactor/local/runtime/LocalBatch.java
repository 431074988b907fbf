package dev.compactor.local.runtime;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.compactor.batch.BatchWorkerHandler;
import dev.compactor.batch.DiscoveryHandler;
import dev.compactor.batch.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Scheduled batch compaction on this machine, the way the template wires it: the scheduled
 * discovery function sends due conversations to the queue while the queue's event source feeds
 * the worker function, until the queue is drained.
 */
public final class LocalBatch {
    /** What a run did: discovery's answer, and how long until the queue was drained. */
    public record Result(DiscoveryHandler.Sent discovery, Duration wall) {
        public long sent() {
            return discovery.sent();
        }
    }

    private final SamTemplate.Function discovery;
    private final SamTemplate.Function worker;
    private final SamTemplate.Queue queue;
    private final LocalQueues queues;
    private final SqsClient sqs;
    /** Conversations discovery sent; -1 until it has answered. */
    private final AtomicLong sent = new AtomicLong(-1);

    public LocalBatch(SamTemplate template, LocalQueues queues, SqsClient sqs) {
        this.discovery = template.functions().stream().filter(f -> f.eventInput() != null).findFirst()
                .orElseThrow(() -> new IllegalStateException("no scheduled function in the template"));
        this.worker = template.functions().stream().filter(f -> f.queueSource() != null).findFirst()
                .orElseThrow(() -> new IllegalStateException("no function with an SQS event source in the template"));
        this.queue = template.queue(worker.queueSource().queue());
        this.queues = queues;
        this.sqs = sqs;
    }

    /** The worker's maximum concurrency in the template. */
    public int deployedConcurrency() {
        return worker.queueSource().maximumConcurrency();
    }

    /** Conversations discovery sent; -1 while it runs. */
    public long sent() {
        return sent.get();
    }

    /** The template's functions as {@code host} runs them. */
    public Result run(FunctionHost host, int concurrency, Consumer<Outcome> finished) {
        BatchWorkerHandler handler = (BatchWorkerHandler) host.handler(worker.logicalId());
        return run((DiscoveryHandler) host.handler(discovery.logicalId()),
                event -> handler.process(event, Instant.now().plusSeconds(worker.timeoutSeconds())), concurrency, finished);
    }

    /**
     * Runs discovery once, with the schedule's input, while {@code concurrency} pollers feed
     * {@code workerFunction}, telling {@code finished} each message's final outcome; returns when
     * the queue is drained.
     */
    public Result run(DiscoveryHandler discoveryFunction, LocalSqsEventSource.Worker workerFunction, int concurrency,
               Consumer<Outcome> finished) {
        long started = System.nanoTime();
        sent.set(-1);
        try (LocalSqsEventSource source = new LocalSqsEventSource(sqs, queues.url(queue.logicalId()), queues.arns().get(queue.logicalId()),
                worker.queueSource(), queue.maxReceiveCount(), workerFunction, finished)) {
            source.start(concurrency);
            ScheduledEvent scheduled = RuntimeSerialization.read(discovery.eventInput(), ScheduledEvent.class);
            DiscoveryHandler.Sent found = discoveryFunction.handle(scheduled, Instant.now().plusSeconds(discovery.timeoutSeconds()));
            sent.set(found.sent());
            source.awaitDrained(() -> false);
            return new Result(found, Duration.ofNanos(System.nanoTime() - started));
        }
    }
}
