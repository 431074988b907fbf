package dev.compactor.batch;

import dev.compactor.support.AwsJsonCall;
import dev.compactor.support.Env;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * Sends to one SQS queue with {@code SendMessageBatch} over SQS's AWS JSON protocol through
 * {@link AwsJsonCall}, rather than the SQS SDK module, which would add 0.8 MB to the artifact for
 * this one call. Entries SQS refuses for a reason of its own, throttled calls and failed
 * connections are tried again with backoff; entries refused as the sender's fault are not.
 */
public final class SqsSender {
    /** SendMessageBatch takes at most ten entries. */
    public static final int MAX_BATCH = 10;
    static final int MAX_ATTEMPTS = 5;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final long BASE_DELAY_MILLIS = 100;
    private static final long MAX_DELAY_MILLIS = 3_000;

    private final String queueUrl;
    private final AwsJsonCall sqs;

    private SqsSender(String queueUrl, AwsJsonCall sqs) {
        this.queueUrl = queueUrl;
        this.sqs = sqs;
    }

    /** The queue named by {@code COMPACTION_QUEUE_URL}, reached at {@code AWS_ENDPOINT_URL_SQS} or the region's endpoint. */
    public static SqsSender compactionQueue(Env env, AwsCredentialsProvider credentials) {
        String endpoint = env.endpoint("SQS");
        return new SqsSender(env.require(Env.COMPACTION_QUEUE_URL), new AwsJsonCall("sqs", env.region(),
                endpoint == null ? null : URI.create(endpoint), credentials, TIMEOUT));
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
                backoff(attempt);
            }
            try {
                lastError = sendBatch(pending);
            } catch (IOException e) {
                lastError = "SQS could not be reached (" + e.getClass().getSimpleName() + ")";
            }
        }
        if (!pending.isEmpty()) {
            throw new SqsException(pending.size() + " of " + bodies.size() + " messages not sent after " + MAX_ATTEMPTS
                    + " attempts: " + lastError);
        }
    }

    /** One call; removes what SQS took from {@code pending}; returns why the rest was not taken (null when all was). */
    private String sendBatch(Map<String, String> pending) throws IOException {
        List<Map<String, Object>> entries = new ArrayList<>(pending.size());
        pending.forEach((id, body) -> entries.add(Map.of("Id", id, "MessageBody", body)));
        AwsJsonCall.Response response;
        try {
            response = sqs.post("/", Map.of("Content-Type", "application/x-amz-json-1.0", "X-Amz-Target", "AmazonSQS.SendMessageBatch"),
                    Map.of("QueueUrl", queueUrl, "Entries", entries));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SqsException("interrupted while sending to SQS");
        }
        Map<String, Object> answer = response.json();
        if (response.status() != 200) {
            String type = String.valueOf(answer.getOrDefault("__type", ""));
            String error = "SQS answered " + response.status() + " " + type;
            if (response.status() < 500 && !type.toLowerCase(Locale.ROOT).contains("throttl")) {
                throw new SqsException(error + ": " + answer.getOrDefault("message", answer.getOrDefault("Message", "")));
            }
            return error;
        }
        if (answer.get("Successful") instanceof List<?> successful) {
            for (Object entry : successful) {
                pending.remove(String.valueOf(((Map<?, ?>) entry).get("Id")));
            }
        }
        String error = null;
        if (answer.get("Failed") instanceof List<?> failed) {
            for (Object entry : failed) {
                Map<?, ?> f = (Map<?, ?>) entry;
                error = "entry refused with " + f.get("Code") + ": " + f.get("Message");
                if (Boolean.TRUE.equals(f.get("SenderFault"))) {
                    throw new SqsException(error);
                }
            }
        }
        return pending.isEmpty() ? null : error;
    }

    /** Exponential backoff between attempts, each wait a random half to whole of its step. */
    private static void backoff(int attempt) {
        long cap = Math.min(MAX_DELAY_MILLIS, BASE_DELAY_MILLIS << (attempt - 1));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(cap / 2, cap + 1));
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
