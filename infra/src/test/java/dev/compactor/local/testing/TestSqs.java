package dev.compactor.local.testing;

import dev.compactor.local.emulator.LocalSqs;
import dev.compactor.local.runtime.LocalQueues;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * One ElasticMQ per test run; each test gets fresh queues created from {@code template.yaml}, so
 * tests share nothing and can run in any order. {@link StopSharedServers} stops it when the run ends.
 */
public final class TestSqs {
    private static TestSqs shared;

    public final LocalSqs sqs = LocalSqs.start();
    private final AtomicInteger sets = new AtomicInteger();

    private TestSqs() {}

    public static synchronized TestSqs get() {
        if (shared == null) {
            shared = new TestSqs();
        }
        return shared;
    }

    /** Stops ElasticMQ, if this run started it. */
    static synchronized void stop() {
        if (shared != null) {
            shared.sqs.close();
            shared = null;
        }
    }

    /** The template's queues, new and empty. */
    public LocalQueues newQueues() {
        return sqs.createQueues(TestDynamo.get().template, "test-" + sets.incrementAndGet());
    }

    /**
     * Waits (long polls, up to 30 s in all) until {@code count} messages have arrived, deletes
     * them and returns their bodies; fewer when the time runs out.
     */
    public List<String> receive(String queueUrl, int count) {
        List<String> bodies = new ArrayList<>();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (bodies.size() < count && System.nanoTime() < deadline) {
            for (Message m : sqs.client().receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
                bodies.add(m.body());
                sqs.client().deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            }
        }
        return bodies;
    }

    /** Receives and deletes every message the queue holds. */
    public List<String> drain(String queueUrl) {
        List<String> bodies = new ArrayList<>();
        while (true) {
            List<Message> messages = sqs.client().receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10)).messages();
            if (messages.isEmpty()) {
                return bodies;
            }
            for (Message m : messages) {
                bodies.add(m.body());
                sqs.client().deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            }
        }
    }
}
