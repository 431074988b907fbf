package dev.compactor.api;

/**
 * {@code GET /v1/compactions/{job_id}} (ours): an asynchronous compaction's status
 * ({@code queued}, {@code running}, {@code succeeded}, {@code failed}) and, once finished, the
 * response its request got: Letta's compact response, or the error status and body.
 */
final class GetCompactionJobRoute implements Route {
    private final CompactionJobs jobs;

    GetCompactionJobRoute(CompactionJobs jobs) {
        this.jobs = jobs;
    }

    @Override
    public ApiResponse handle(ApiRequest request, RequestContext context) {
        String jobId = PathIds.jobId(request);
        context.log().job(jobId);
        return ApiResponse.json(200, CompactionJobs.view(jobs.current(context.tenant(), jobId)));
    }
}
