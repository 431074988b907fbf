package dev.compactor.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.compactor.access.Tenants;
import dev.compactor.app.Services;
import dev.compactor.conversation.CompactionJob;
import dev.compactor.conversation.Ids;
import dev.compactor.conversation.JobNotRunningException;
import dev.compactor.support.Json;
import dev.compactor.metering.CompactionMetrics;
import dev.compactor.support.Env;
import dev.compactor.support.Log;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.crac.Core;
import org.crac.Resource;

/**
 * Lambda entry point of the asynchronous compaction worker. Its event, {@code {"tenant": …,
 * "job_id": …}}, comes from the API function through Lambda's asynchronous invocation. The
 * worker claims the job (a lease a little past its own deadline), runs the stored request through
 * the compact route's code, and the commit finishes the job; a failure finishes it as failed.
 *
 * <p>Lambda delivers an event at least once, and once more after a crash or timeout: a worker
 * that finds the job finished or held by a live lease does nothing, and one that finds a dead
 * worker's lease takes the job over. The worker never fails its invocation on purpose, so Lambda
 * retries only what it must.
 */
public final class CompactionWorkerHandler implements RequestStreamHandler, Resource {
    /** Time kept back from the Lambda deadline to record a failure. */
    static final Duration RESERVE = Duration.ofSeconds(5);
    /** A worker's lease outlives its deadline by this much before another worker may take the job. */
    static final Duration LEASE_MARGIN = Duration.ofSeconds(10);
    /** Without a Lambda context (tests, tools): the worker's timeout in template.yaml. */
    static final Duration DEFAULT_BUDGET = Duration.ofMinutes(15).minus(RESERVE);

    private final Services services;
    private final CompactionJobs jobs;
    private final CompactRoute route;
    private final CompactionMetrics metrics;
    private final Clock clock;

    public CompactionWorkerHandler() {
        this(Services.fromEnvironment(Env.system()));
    }

    public CompactionWorkerHandler(Map<String, String> environment) {
        this(Services.fromEnvironment(new Env(environment)));
    }

    public CompactionWorkerHandler(Services services) {
        this.services = services;
        this.clock = services.clock();
        this.jobs = new CompactionJobs(services.jobs(), services.compaction(), services.worker(), clock);
        this.route = new CompactRoute(services.compaction(), new IdempotentRequests(services.store()), jobs, services.usage(), clock);
        this.metrics = new CompactionMetrics(services.metrics());
        Core.getGlobalContext().register(this);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Instant deadline = context == null ? clock.instant().plus(DEFAULT_BUDGET)
                : clock.instant().plusMillis(context.getRemainingTimeInMillis()).minus(RESERVE);
        Map<String, Object> report = handle(new String(input.readAllBytes(), StandardCharsets.UTF_8), deadline);
        output.write(Json.write(report).getBytes(StandardCharsets.UTF_8));
    }

    /** Runs the job an event names, if it is this worker's to run; reports what happened. */
    public Map<String, Object> handle(String eventJson, Instant deadline) {
        long started = System.nanoTime();
        Map<String, Object> event = Json.parseObject(eventJson);
        String tenant = event.get("tenant") instanceof String t ? t : null;
        String jobId = event.get("job_id") instanceof String j ? j : null;
        if (!Tenants.valid(tenant) || !Ids.isJobId(jobId)) {
            Log.error("job.bad_event");
            return Map.of("status", "ignored");
        }
        Optional<CompactionJob> claimed = jobs.claim(tenant, jobId, deadline.plus(LEASE_MARGIN));
        if (claimed.isEmpty()) {
            Log.info("job.not_claimed", "tenant", tenant, "job_id", jobId);
            return Map.of("job_id", jobId, "status", "not_claimed");
        }
        RequestLog log = new RequestLog().put("request_id", jobId).put("tenant", tenant);
        ApiResponse result;
        try {
            result = route.runJob(claimed.get(), deadline, log);
        } catch (JobNotRunningException e) {
            Log.warn("job.lost", "tenant", tenant, "job_id", jobId, "attempt", claimed.get().attempt());
            return Map.of("job_id", jobId, "status", "lost");
        }
        log.put("status", result.status()).put("duration_ms", (System.nanoTime() - started) / 1_000_000);
        Log.info("job.finished", log.fields());
        metrics.record(log.fields(), log.report());
        return Map.of("job_id", jobId, "status", log.get("outcome"));
    }

    /**
     * Before the SnapStart snapshot: build the default summarizer's client and try to claim a job
     * that cannot exist (a conditional update that writes nothing), which opens the DynamoDB
     * connection. Failures are ignored: priming is only an optimisation.
     */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        try {
            services.primeDefaultSummarizer();
            jobs.claim("priming", "job-00000000-0000-4000-8000-000000000000", clock.instant());
        } catch (RuntimeException e) {
            Log.warn("snapstart.priming_failed", "error", e.getClass().getSimpleName());
        }
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // Nothing to refresh: the HTTP clients reopen stale connections on first use.
    }
}
