package dev.compactor.conversation;

import java.time.Instant;
import java.util.Optional;

/** Asynchronous compaction jobs: submitted, claimed by a worker under a lease, finished. */
public interface JobStore {
    /**
     * Stores a new queued job. With an Idempotency-Key, the key's record is completed with the
     * submission's response in the same transaction, so a repeat of the submission gets the same job.
     * The job is written only while the conversation it compacts exists and is not being purged,
     * with a reference from that conversation so that its purge deletes the job too.
     *
     * @param conversationId the conversation the job compacts (the job's path id resolved)
     * @throws MessageTooLargeException when the request does not fit a DynamoDB item
     * @throws ConversationNotFoundException when the conversation is gone or being purged
     */
    void create(CompactionJob job, String conversationId, Commit.IdempotencyCompletion idempotencyKey);

    Optional<CompactionJob> find(String tenant, String jobId);

    /**
     * Claims a job for a worker until {@code leaseUntil}: a queued job, or a running one whose
     * worker's lease ran out while it has attempts left. Empty when the job is finished, held by
     * another worker, out of attempts, or unknown.
     */
    Optional<CompactionJob> claim(String tenant, String jobId, Instant leaseUntil);

    /**
     * Moves the lease of the worker that made {@code claimed} on to {@code leaseUntil}, its
     * heartbeat's write.
     *
     * @return false when that worker no longer holds the job: it finished, or a retry took it over
     */
    boolean renewLease(CompactionJob claimed, Instant leaseUntil);

    /**
     * Finishes a job as failed with the response its request got, metering it in the same
     * transaction when {@code usage} is not null.
     *
     * @param seen the job as the failing party saw it (its worker's claim, or an abandoned job)
     * @return false when the job is no longer as seen: another worker took it over, or it finished
     */
    boolean fail(CompactionJob seen, int status, String responseJson, UsageRecord usage);

    /**
     * Deletes the Idempotency-Key record of a job that was queued but could not be started, so
     * that a retry with the same key submits again instead of replaying the 202.
     */
    void withdraw(IdempotencyClaim claim);
}
