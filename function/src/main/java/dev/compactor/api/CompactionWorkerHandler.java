package dev.compactor.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.compactor.access.Tenants;
import dev.compactor.app.Services;
import dev.compactor.conversation.Agent;
import dev.compactor.conversation.CompactionJob;
import dev.compactor.conversation.ConversationNotFoundException;
import dev.compactor.conversation.Ids;
import dev.compactor.conversation.JobNotRunningException;
import dev.compactor.conversation.LeaseBeats;
import dev.compactor.conversation.LeaseHeartbeat;
import dev.compactor.support.JsonMapper;
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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.crac.Core;
import org.crac.Resource;

/**
 * Lambda entry point of the asynchronous compaction worker, which also runs the API's other
 * background work: large purges ({@code {"tenant": …, "purge_conversation_id": …}}, see
 * {@link ConversationPurger}; {@code {"tenant": …, "purge_agent_id": …}}, see {@link AgentPurger}) and history retention after a commit
 * ({@code {"tenant": …, "retention_conversation_id": …, "retention_days": …}}). A compaction's event, {@code {"tenant": …,
 * "job_id": …}}, comes from the API function through Lambda's asynchronous invocation. The
 * worker claims the job (a short lease its heartbeat renews, never past its deadline plus a margin), runs the stored request through
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
    private final ConversationPurger purger;
    private final AgentPurger agentPurger;
    private final CompactionMetrics metrics;
    private final LeaseBeats beats;
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
        this.beats = new LeaseBeats(clock, services.leaseRenewal());
        this.purger = new ConversationPurger(services.purges(), services.events(), services.worker(), services.purgeInlineMaxItems());
        this.agentPurger = new AgentPurger(services.agentPurges(), services.purges(), purger, services.worker(),
                services.purgeInlineMaxItems(), clock);
        Core.getGlobalContext().register(this);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Instant deadline = context == null ? clock.instant().plus(DEFAULT_BUDGET)
                : clock.instant().plusMillis(context.getRemainingTimeInMillis()).minus(RESERVE);
        Report report = handle(new String(input.readAllBytes(), StandardCharsets.UTF_8), deadline);
        output.write(ApiResponse.write(report).getBytes(StandardCharsets.UTF_8));
    }

    /** The event the API invokes the worker with (asynchronously): which job to run, or which conversation to purge. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record JobEvent(String tenant, @JsonProperty("job_id") String jobId,
                    @JsonProperty(ConversationPurger.EVENT_FIELD) String purgeConversationId,
                    @JsonProperty(Services.RETENTION_EVENT_FIELD) String retentionConversationId,
                    @JsonProperty(AgentPurger.EVENT_FIELD) String purgeAgentId,
                    @JsonProperty(Services.RETENTION_DAYS_EVENT_FIELD) Long retentionDays) {
        static JobEvent job(String tenant, String jobId) {
            return new JobEvent(tenant, jobId, null, null, null, null);
        }

        static JobEvent purgeConversation(String tenant, String conversationId) {
            return new JobEvent(tenant, null, conversationId, null, null, null);
        }

        static JobEvent purgeAgent(String tenant, String agentId) {
            return new JobEvent(tenant, null, null, null, agentId, null);
        }

        /** @param period how long to keep what is released: the agent's retention, else the deployment's */
        public static JobEvent retention(String tenant, String conversationId, Duration period) {
            return new JobEvent(tenant, null, null, conversationId, null, period.toDays());
        }
    }

    /** What the worker did with the job (or purge) an event names; the job's own result is stored with the job. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"job_id", "conversation_id", "agent_id", "status"})
    public record Report(@JsonProperty("job_id") String jobId, @JsonProperty("conversation_id") String conversationId,
                         @JsonProperty("agent_id") String agentId, String status) {
        Report(String jobId, String status) {
            this(jobId, null, null, status);
        }

        Report(String jobId, String conversationId, String status) {
            this(jobId, conversationId, null, status);
        }
    }

    private static JobEvent event(String eventJson) {
        try {
            return JsonMapper.MAPPER.readerFor(JobEvent.class).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(eventJson);
        } catch (JacksonException e) {
            return null;
        }
    }

    /** Runs the job an event names, if it is this worker's to run; reports what happened. */
    public Report handle(String eventJson, Instant deadline) {
        long started = System.nanoTime();
        JobEvent event = event(eventJson);
        String tenant = event == null ? null : event.tenant();
        if (event != null && event.purgeConversationId() != null) {
            return purge(tenant, event.purgeConversationId(), deadline);
        }
        if (event != null && event.purgeAgentId() != null) {
            return purgeAgent(tenant, event.purgeAgentId(), deadline);
        }
        if (event != null && event.retentionConversationId() != null) {
            return releaseHistory(tenant, event.retentionConversationId(), event.retentionDays(), deadline);
        }
        String jobId = event == null ? null : event.jobId();
        if (!Tenants.valid(tenant) || !Ids.isJobId(jobId)) {
            Log.error("job.bad_event");
            return new Report(null, "ignored");
        }
        Instant limit = deadline.plus(LEASE_MARGIN);
        Optional<CompactionJob> claimed = jobs.claim(tenant, jobId, beats.until(limit));
        if (claimed.isEmpty()) {
            Log.info("job.not_claimed", "tenant", tenant, "job_id", jobId);
            return new Report(jobId, "not_claimed");
        }
        RequestLog log = new RequestLog();
        ApiResponse result;
        try (LeaseHeartbeat alive = heartbeat(claimed.get(), limit)) {
            result = route.runJob(claimed.get(), deadline, log);
        } catch (JobNotRunningException e) {
            Log.warn("job.lost", "tenant", tenant, "job_id", jobId, "attempt", claimed.get().attempt());
            return new Report(jobId, "lost");
        }
        long durationMs = (System.nanoTime() - started) / 1_000_000;
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("request_id", jobId);
        line.put("tenant", tenant);
        log.appendTo(line);
        line.put("status", result.status());
        line.put("duration_ms", durationMs);
        line.values().removeIf(v -> v == null);
        Log.info("job.finished", line);
        metrics.record(log.facts(jobId, tenant, result.status(), durationMs), log.report());
        return new Report(jobId, String.valueOf(log.outcome()));
    }

    /**
     * Renews the job's claim every beat while it runs, so that Lambda's retry of a worker that
     * crashed takes the job over one lease after the last beat.
     */
    private LeaseHeartbeat heartbeat(CompactionJob claimed, Instant limit) {
        return beats.start(claimed.leaseUntil(), limit, until -> jobs.renewLease(claimed, until),
                e -> Log.warn("job.lease_renew_failed", "tenant", claimed.tenant(), "job_id", claimed.id(), "error",
                        e.getClass().getSimpleName()));
    }

    /**
     * Purges a conversation the API tombstoned, until done or the deadline; a redelivery, or the
     * next DELETE, resumes from where this run stopped.
     */
    private Report purge(String tenant, String conversationId, Instant deadline) {
        if (!validConversation(tenant, conversationId)) {
            Log.error("purge.bad_event");
            return new Report(null, "ignored");
        }
        try {
            return new Report(null, conversationId, purger.run(tenant, conversationId, deadline).status());
        } catch (ConversationNotFoundException e) {
            Log.warn("purge.not_found", "tenant", tenant, "conversation_id", conversationId);
            return new Report(null, conversationId, "not_found");
        }
    }

    /** Purges an agent the API tombstoned, until done or the deadline; a redelivery, or the next DELETE, resumes. */
    private Report purgeAgent(String tenant, String agentId, Instant deadline) {
        if (!Tenants.valid(tenant) || !Ids.isAgentId(agentId)) {
            Log.error("purge.bad_event");
            return new Report(null, "ignored");
        }
        try {
            return new Report(null, null, agentId, agentPurger.run(tenant, agentId, deadline).status());
        } catch (NoSuchElementException e) {
            // No receipt: the event names no purge the API began.
            Log.warn("purge.not_found", "tenant", tenant, "agent_id", agentId);
            return new Report(null, null, agentId, "not_found");
        }
    }

    /** A tenant and a stored conversation id: {@code conv-…}, or an agent's id for the agent's own conversation. */
    private static boolean validConversation(String tenant, String conversationId) {
        return Tenants.valid(tenant) && Ids.isConversationIdOrDefault(conversationId) && !conversationId.equals("default");
    }

    /**
     * Releases a conversation's evicted history to retention after a compaction the API committed,
     * for the days its event carries (an event sent before events carried them: the deployment's).
     */
    private Report releaseHistory(String tenant, String conversationId, Long days, Instant deadline) {
        Duration period = days == null ? services.retentionPolicy().deployment()
                : days >= 1 && days <= Agent.MAX_RETENTION_DAYS ? Duration.ofDays(days) : null;
        if (!validConversation(tenant, conversationId) || period == null) {
            Log.error("retention.bad_event");
            return new Report(null, "ignored");
        }
        try {
            long stamped = services.retention().stamp(tenant, conversationId, period, deadline);
            Log.info("retention.stamped", "tenant", tenant, "conversation_id", conversationId, "items", stamped);
            return new Report(null, conversationId, "stamped");
        } catch (ConversationNotFoundException e) {
            return new Report(null, conversationId, "not_found");
        }
    }

    /**
     * Before the SnapStart snapshot: build the default summarizer's client, write and read the
     * providers' wire bodies once, and try to claim a job
     * that cannot exist (a conditional update that writes nothing), which opens the DynamoDB
     * connection. Failures are ignored: priming is only an optimisation.
     */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        try {
            services.primeSummarizers();
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
