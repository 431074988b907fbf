package dev.compactor.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.compactor.compaction.CompactionService;
import dev.compactor.conversation.Commit;
import dev.compactor.conversation.CompactionJob;
import dev.compactor.conversation.IdempotencyClaim;
import dev.compactor.conversation.Ids;
import dev.compactor.conversation.JobStore;
import dev.compactor.conversation.UsageRecord;
import dev.compactor.support.LambdaInvoker;
import dev.compactor.support.Log;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Asynchronous compactions as the API sees them: queuing a job and handing it to the worker
 * function (Lambda's asynchronous invocation, which retries a crashed worker once), reading a
 * job's state, and failing a job with its usage record. A job no worker can finish any more is
 * failed when it is next read.
 */
final class CompactionJobs {
    static final String PATH = "/v1/compactions/";

    private final JobStore jobs;
    private final CompactionService service;
    private final LambdaInvoker worker;
    private final Clock clock;

    /** @param worker the worker function, or null when this deployment has none */
    CompactionJobs(JobStore jobs, CompactionService service, LambdaInvoker worker, Clock clock) {
        this.jobs = jobs;
        this.service = service;
        this.worker = worker;
        this.clock = clock;
    }

    /**
     * Queues the request as a job and starts its worker: 202 with the job. A target that does not
     * exist is a 404 now rather than a failed job later.
     */
    ApiResponse submit(RequestContext context, CompactRequest request, IdempotencyClaim claim) {
        if (worker == null) {
            throw ApiException.detail(501, "Asynchronous compaction is not configured in this deployment.");
        }
        String conversationId = service.requireTarget(context.tenant(), request.target());
        CompactionJob job = CompactionJob.queued(context.tenant(), Ids.newJobId(), request.pathId(), ApiResponse.write(request.body()),
                clock.instant());
        ApiResponse accepted = ApiResponse.json(202, view(job)).withHeader("Location", PATH + job.id());
        if (request.preferred()) {
            accepted = accepted.withHeader("Preference-Applied", CompactRequest.RESPOND_ASYNC);
        }
        jobs.create(job, conversationId, claim == null ? null : new Commit.IdempotencyCompletion(claim, accepted.body()));
        context.log().job(job.id()).outcome(CompactionJob.QUEUED);
        try {
            worker.invokeAsync(CompactionWorkerHandler.JobEvent.job(job.tenant(), job.id()));
        } catch (RuntimeException e) {
            Log.error("job.start_failed", "job_id", job.id(), "error", e.getMessage());
            if (claim != null) {
                jobs.withdraw(claim);
            }
            ApiResponse unavailable = ApiResponse.json(503, new ErrorResponses.Detail(
                    "The compaction job could not be started, so it will not run and nothing was changed. Submit it again."));
            fail(job, unavailable, "worker_not_started", request.requestedMode());
            context.log().outcome(UsageRecord.FAILED);
            return unavailable;
        }
        return accepted;
    }

    /** The job as it stands; one that no worker can finish any more is failed first. */
    CompactionJob current(String tenant, String jobId) {
        CompactionJob job = find(tenant, jobId);
        if (job.abandoned(clock.instant())) {
            ApiResponse lost = ApiResponse.json(500, new ErrorResponses.Detail("The worker running this compaction stopped before it "
                    + "finished, so nothing was changed. Submit the compaction again."));
            fail(job, lost, "worker_lost", null);
            job = find(tenant, jobId);
        }
        return job;
    }

    /**
     * Finishes {@code job} as failed with {@code error} as its result, metering it unless the
     * error is invalid input.
     *
     * @return false when the job is no longer as seen (another worker took it over, or it finished)
     */
    boolean fail(CompactionJob job, ApiResponse error, String type, String mode) {
        UsageRecord usage = CompactRoute.metered(error) ? UsageRecord.failed(job.tenant(), job.id(), job.createdAt(),
                job.conversationId(), job.id(), mode, Duration.between(job.createdAt(), clock.instant()).toMillis(), error.status(),
                type) : null;
        return jobs.fail(job, error.status(), error.body(), usage);
    }

    Optional<CompactionJob> claim(String tenant, String jobId, Instant leaseUntil) {
        return jobs.claim(tenant, jobId, leaseUntil);
    }

    boolean renewLease(CompactionJob claimed, Instant leaseUntil) {
        return jobs.renewLease(claimed, leaseUntil);
    }

    private CompactionJob find(String tenant, String jobId) {
        return jobs.find(tenant, jobId).orElseThrow(() -> ApiException.detail(404, "Compaction job " + jobId + " not found"));
    }

    /**
     * A job as the API shows it: its state, and the result (or error) its request got once
     * finished, embedded as the JSON text the job stored.
     */
    @JsonPropertyOrder({"id", "status", "conversation_id", "created_at", "started_at", "completed_at", "attempts", "result", "error"})
    record JobView(
            String id,
            String status,
            @JsonProperty("conversation_id") String conversationId,
            @JsonProperty("created_at") String createdAt,
            @JsonProperty("started_at") String startedAt,
            @JsonProperty("completed_at") String completedAt,
            int attempts,
            @JsonRawValue String result,
            JobError error) {

        @JsonPropertyOrder({"status", "body"})
        record JobError(Integer status, @JsonRawValue String body) {}
    }

    static JobView view(CompactionJob job) {
        return new JobView(job.id(), job.status(), job.conversationId(), job.createdAt().toString(),
                job.startedAt() == null ? null : job.startedAt().toString(),
                job.finishedAt() == null ? null : job.finishedAt().toString(), job.attempt(),
                CompactionJob.SUCCEEDED.equals(job.status()) ? job.result() : null,
                CompactionJob.FAILED.equals(job.status()) ? new JobView.JobError(job.resultStatus(), job.result()) : null);
    }
}
