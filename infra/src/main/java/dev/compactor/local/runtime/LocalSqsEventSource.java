package dev.compactor.local.runtime;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.compactor.batch.BatchWorkerHandler;
import dev.compactor.batch.Outcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Plays Lambda's SQS event source on this machine: {@code concurrency} pollers each receive up to
 * a batch of messages, hand it to the worker as the SQS event Lambda sends, delete the messages
 * the worker did not report as failed, and make the failed ones visible again at once (Lambda
 * waits out the queue's visibility timeout instead). A worker that throws fails its whole batch;
 * without {@code ReportBatchItemFailures} a worker that returns succeeds for its whole batch, as
 * in Lambda. The queue's own redrive policy moves a message that failed {@code maxReceiveCount}
 * times to the dead-letter queue.
 */
public final class LocalSqsEventSource implements AutoCloseable {
    /** The worker function: an SQS event in, each record's outcome out. */
    public interface Worker {
        List<BatchWorkerHandler.Processed> invoke(SQSEvent event);
    }

    private static final int POLL_SECONDS = 1;

    private final SqsClient sqs;
    private final String queueUrl;
    private final String queueArn;
    private final SamTemplate.QueueSource source;
    private final int maxReceiveCount;
    private final Worker worker;
    private final Consumer<Outcome> finished;
    private final CountDownLatch drained = new CountDownLatch(1);
    private ExecutorService pollers;
    private volatile BooleanSupplier moreToCome = () -> true;
    private volatile RuntimeException broken;

    /**
     * @param finished told of each message's final outcome: compacted, skipped, or failed for the last time
     */
    LocalSqsEventSource(SqsClient sqs, String queueUrl, String queueArn, SamTemplate.QueueSource source, int maxReceiveCount,
                        Worker worker, Consumer<Outcome> finished) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.queueArn = queueArn;
        this.source = source;
        this.maxReceiveCount = maxReceiveCount;
        this.worker = worker;
        this.finished = finished;
    }

    void start(int concurrency) {
        pollers = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "sqs-poller");
            t.setDaemon(true);
            return t;
        });
        for (int i = 0; i < concurrency; i++) {
            pollers.submit(this::poll);
        }
    }

    /**
     * Blocks until nothing more is coming ({@code moreToCome} false) and the queue holds no message.
     *
     * @throws IllegalStateException when a poller could not talk to the queue
     */
    void awaitDrained(BooleanSupplier moreToCome) {
        this.moreToCome = moreToCome;
        try {
            drained.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the queue drained", e);
        }
        if (broken != null) {
            throw new IllegalStateException("the local event source stopped: " + broken.getMessage(), broken);
        }
    }

    private void poll() {
        try {
            while (drained.getCount() > 0 && !Thread.currentThread().isInterrupted()) {
                List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(source.batchSize())
                        .waitTimeSeconds(POLL_SECONDS).messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
                if (!messages.isEmpty()) {
                    deliver(messages);
                }
                if (!moreToCome.getAsBoolean() && empty()) {
                    drained.countDown();
                }
            }
        } catch (RuntimeException e) {
            broken = e;
            drained.countDown();
        }
    }

    private void deliver(List<Message> messages) {
        Map<String, Outcome> outcomes = new HashMap<>();
        Outcome crashed = null;
        try {
            for (BatchWorkerHandler.Processed p : worker.invoke(event(messages))) {
                outcomes.put(p.messageId(), p.outcome());
            }
        } catch (RuntimeException crash) {
            crashed = new Outcome(Outcome.Kind.FAILED, null, "worker crashed: " + crash.getClass().getSimpleName(), 0, 0);
        }
        List<Message> done = new ArrayList<>();
        List<Message> retry = new ArrayList<>();
        for (Message m : messages) {
            Outcome outcome = crashed != null ? crashed : outcomes.get(m.messageId());
            boolean failed = crashed != null
                    || (source.reportsItemFailures() && outcome != null && outcome.kind() == Outcome.Kind.FAILED);
            if (failed) {
                retry.add(m);
                if (receiveCount(m) >= maxReceiveCount) {
                    finished.accept(outcome);
                }
            } else {
                done.add(m);
                if (outcome != null) {
                    finished.accept(outcome);
                }
            }
        }
        if (!done.isEmpty()) {
            sqs.deleteMessageBatch(r -> r.queueUrl(queueUrl).entries(done.stream().map(m -> DeleteMessageBatchRequestEntry.builder()
                    .id(m.messageId()).receiptHandle(m.receiptHandle()).build()).toList()));
        }
        if (!retry.isEmpty()) {
            sqs.changeMessageVisibilityBatch(r -> r.queueUrl(queueUrl).entries(retry.stream()
                    .map(m -> ChangeMessageVisibilityBatchRequestEntry.builder().id(m.messageId()).receiptHandle(m.receiptHandle())
                            .visibilityTimeout(0).build()).toList()));
        }
    }

    private static int receiveCount(Message m) {
        return Integer.parseInt(m.attributes().getOrDefault(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "1"));
    }

    private boolean empty() {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
        return a.values().stream().allMatch("0"::equals);
    }

    /** The event Lambda's SQS event source sends for these messages. */
    private SQSEvent event(List<Message> messages) {
        List<SQSEvent.SQSMessage> records = new ArrayList<>(messages.size());
        for (Message m : messages) {
            Map<String, String> attributes = new LinkedHashMap<>();
            m.attributes().forEach((name, value) -> attributes.put(name.toString(), value));
            SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
            record.setMessageId(m.messageId());
            record.setReceiptHandle(m.receiptHandle());
            record.setBody(m.body());
            record.setAttributes(attributes);
            record.setMessageAttributes(Map.of());
            record.setMd5OfBody(m.md5OfBody());
            record.setEventSource("aws:sqs");
            record.setEventSourceArn(queueArn);
            record.setAwsRegion("us-east-1");
            records.add(record);
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(records);
        return event;
    }

    @Override
    public void close() {
        drained.countDown();
        pollers.shutdownNow();
        try {
            pollers.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
