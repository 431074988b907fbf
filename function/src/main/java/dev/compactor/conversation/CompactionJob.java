package dev.compactor.conversation;

import java.time.Duration;
import java.time.Instant;

/**
 * An asynchronous compaction: the request it runs, where it is in its lifecycle
 * ({@code queued → running → succeeded | failed}), and its result.
 *
 * <p>A worker claims a queued job, or a running one whose worker's lease ran out, by raising
 * {@code attempt}; the attempt number then fences everything that worker writes, so a worker
 * that outlived its lease can change nothing.
 *
 * @param conversationId the path id the request named ({@code conv-…}, {@code default} or an agent id)
 * @param requestBody the compact request's body, as sent
 * @param attempt how many workers claimed the job (0 while queued)
 * @param leaseUntil until when the current worker holds the job, or null while queued
 * @param resultStatus the HTTP status of the result, or null while unfinished
 * @param result the response body the request would have got synchronously, or null while unfinished
 */
public record CompactionJob(String tenant, String id, String status, String conversationId, String requestBody,
                            Instant createdAt, Instant startedAt, Instant finishedAt, int attempt, Instant leaseUntil,
                            Integer resultStatus, String result) {
    public static final String QUEUED = "queued";
    public static final String RUNNING = "running";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    /**
     * How many workers may claim a job: Lambda's first delivery plus the one retry the worker's
     * {@code EventInvokeConfig} allows after a crash or timeout (template.yaml).
     */
    public static final int MAX_ATTEMPTS = 2;
    /**
     * The oldest event Lambda still delivers to the worker ({@code MaximumEventAgeInSeconds} in
     * template.yaml): past it, a job nobody is running will never be run.
     */
    public static final Duration MAX_EVENT_AGE = Duration.ofMinutes(15);

    public static CompactionJob queued(String tenant, String id, String conversationId, String requestBody, Instant now) {
        return new CompactionJob(tenant, id, QUEUED, conversationId, requestBody, now, null, null, 0, null, null, null);
    }

    public boolean finished() {
        return SUCCEEDED.equals(status) || FAILED.equals(status);
    }

    /**
     * Whether no worker can still finish this job: its last event (the first delivery of a queued
     * job, a retry of a running one whose worker died) is older than Lambda delivers.
     */
    public boolean abandoned(Instant now) {
        if (finished()) {
            return false;
        }
        Instant lastChance = RUNNING.equals(status) ? leaseUntil : createdAt;
        return now.isAfter(lastChance.plus(MAX_EVENT_AGE));
    }
}
