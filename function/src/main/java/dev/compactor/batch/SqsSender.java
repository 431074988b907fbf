package dev.compactor.batch;

import dev.compactor.support.AwsFailures;
import dev.compactor.support.Backoff;
import dev.compactor.support.Env;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;

/**
 * Sends to one SQS queue with {@code SendMessageBatch} through the SDK's SQS client (its own
 * retries off). Entries SQS refuses for a reason of its own, throttled calls and failed
 * connections are tried again, waiting as {@link Backoff#AWS} says; entries refused as the
 * sender's fault are not.
 */
public final class SqsSender {
    /** SendMessageBatch takes at most ten entries. */
    public static final int MAX_BATCH = 10;
    static final int MAX_ATTEMPTS = 5;

    private final String queueUrl;
    private final SqsClient sqs;

    private SqsSender(String queueUrl, SqsClient sqs) {
        this.queueUrl = queueUrl;
        this.sqs = sqs;
    }

    /** The queue named by {@code COMPACTION_QUEUE_URL}, through {@code sqs} (built by {@code AwsClients.sqs}). */
    public static SqsSender compactionQueue(Env env, SqsClient sqs) {
        return new SqsSender(env.require(Env.COMPACTION_QUEUE_URL), sqs);
    }

    /**
     * Sends up to {@link #MAX_BATCH} message bodies.
     *
     * @throws SqsException when SQS refuses an entry as malformed, or still fails after {@link #MAX_ATTEMPTS} attempts
     */
    public void send(List<String> bodies) {
        if (bodies.size() > MAX_BATCH) {
            throw new IllegalArgumentException("SendMessageBatch takes at most " + MAX_BATCH + " messages, got " + bodies.size());
        }
        Map<String, String> pending = new LinkedHashMap<>();
        for (int i = 0; i < bodies.size(); i++) {
            pending.put(Integer.toString(i), bodies.get(i));
        }
        String lastError = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS && !pending.isEmpty(); attempt++) {
            if (attempt > 1) {
                pause(attempt - 1);
            }
            lastError = sendBatch(pending);
        }
        if (!pending.isEmpty()) {
            throw new SqsException(pending.size() + " of " + bodies.size() + " messages not sent after " + MAX_ATTEMPTS
                    + " attempts: " + lastError);
        }
    }

    /** One call; removes what SQS took from {@code pending}; returns why the rest was not taken (null when all was). */
    private String sendBatch(Map<String, String> pending) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>(pending.size());
        pending.forEach((id, body) -> entries.add(SendMessageBatchRequestEntry.builder().id(id).messageBody(body).build()));
        SendMessageBatchResponse answer;
        try {
            answer = sqs.sendMessageBatch(r -> r.queueUrl(queueUrl).entries(entries));
        } catch (SdkException e) {
            String error = "SQS " + (e instanceof AwsServiceException ? "answered " : "could not be reached: ") + AwsFailures.describe(e);
            if (!AwsFailures.isTransient(e)) {
                throw new SqsException(error + (e instanceof AwsServiceException s && s.awsErrorDetails() != null
                        ? ": " + s.awsErrorDetails().errorMessage() : ""));
            }
            return error;
        }
        for (SendMessageBatchResultEntry sent : answer.successful()) {
            pending.remove(sent.id());
        }
        String error = null;
        for (BatchResultErrorEntry failed : answer.failed()) {
            error = "entry refused with " + failed.code() + ": " + failed.message();
            if (Boolean.TRUE.equals(failed.senderFault())) {
                throw new SqsException(error);
            }
        }
        return pending.isEmpty() ? null : error;
    }

    private static void pause(int failedAttempt) {
        try {
            Thread.sleep(Backoff.AWS.delay(failedAttempt, RandomGenerator.getDefault()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SqsException("interrupted while waiting to retry SQS");
        }
    }

    /** Messages could not be sent. */
    public static final class SqsException extends RuntimeException {
        SqsException(String message) {
            super(message);
        }
    }
}
