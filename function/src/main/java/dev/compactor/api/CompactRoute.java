package dev.compactor.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.compactor.compaction.CompactionService;
import dev.compactor.compaction.Compactor;
import dev.compactor.compaction.Reported;
import dev.compactor.conversation.CompactionReport;
import dev.compactor.conversation.CompactionJob;
import dev.compactor.conversation.IdempotencyClaim;
import dev.compactor.conversation.Ids;
import dev.compactor.conversation.JobNotRunningException;
import dev.compactor.conversation.UsageRecord;
import dev.compactor.conversation.UsageStore;
import dev.compactor.input.FieldError;
import dev.compactor.input.InvalidInputException;
import dev.compactor.metering.UsageViews;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/conversations/{conversation_id}/compact} with Letta's request, response, and
 * agent-direct resolution ({@code default} + body {@code agent_id}, or a deprecated agent id in
 * the path). Ours on top: {@code ?dry_run=true} answers the plan without calling a model or
 * writing anything; an {@code Idempotency-Key} header makes a retry replay the first answer;
 * {@code Prefer: respond-async} (or {@code ?async=true}) queues a job and answers 202; the call's
 * usage goes out in {@code Usage-*} headers and into its usage record; Letta's three response
 * fields come first, our details under {@code compaction}.
 */
final class CompactRoute implements Route {
    static final String RESOURCE = "/v1/conversations/{conversation_id}/compact";
    /** Sent by Letta's (Stainless-generated) SDKs on every attempt: 0, then 1, 2 on their automatic resends. */
    static final String SDK_RETRY_COUNT = "x-stainless-retry-count";
    /** Why a compaction runs, as its summary record keeps it. */
    private static final String TRIGGER = Compactor.MANUAL_TRIGGER;

    private final CompactionService service;
    private final IdempotentRequests idempotency;
    private final CompactionJobs jobs;
    private final UsageStore usage;
    private final Clock clock;

    CompactRoute(CompactionService service, IdempotentRequests idempotency, CompactionJobs jobs, UsageStore usage, Clock clock) {
        this.service = service;
        this.idempotency = idempotency;
        this.jobs = jobs;
        this.usage = usage;
        this.clock = clock;
    }

    @Override
    public ApiResponse handle(ApiRequest request, RequestContext context) {
        return handle(request, CompactRequest.parse(request), context);
    }

    /** Runs a validated compact request, however its route addressed the conversation. */
    ApiResponse handle(ApiRequest request, CompactRequest parsed, RequestContext context) {
        RequestLog log = context.log().conversation(parsed.pathId()).mode(parsed.requestedMode());
        if (parsed.dryRun()) {
            log.outcome("dry_run");
            return ApiResponse.json(200, body(service.dryRun(context.tenant(), parsed.target(), parsed.settings(), TRIGGER,
                    context.deadline())));
        }
        ApiResponse response = idempotency.run(request, parsed.body(), parsed.async(), context, claim -> parsed.async()
                ? jobs.submit(context, parsed, claim)
                : compact(request, context, parsed, claim));
        if (response.headers().containsKey(IdempotentRequests.REPLAYED)) {
            log.outcome("replayed");
        }
        return response;
    }

    /**
     * Compacts now, within the request's deadline; the call is metered whatever its outcome.
     * Letta's SDKs resend a call whose answer they did not get (a dropped connection, API
     * Gateway's own 504) with {@code X-Stainless-Retry-Count} raised and no key of their own: a
     * resend whose earlier attempt committed replays that attempt's answer, and one that finds
     * no such answer commits only if no attempt committed meanwhile (else 409).
     */
    private ApiResponse compact(ApiRequest request, RequestContext context, CompactRequest parsed, IdempotencyClaim claim) {
        context.log().markCompaction();
        String sdkCall = claim == null && request.headers().containsKey(SDK_RETRY_COUNT)
                ? IdempotentRequests.fingerprint(request, parsed.body(), false) : null;
        Long expectedGeneration = null;
        if (sdkCall != null && resend(request)) {
            CompactionService.Resend resend = service.resend(context.tenant(), parsed.target(), sdkCall);
            if (resend.replayJson() != null) {
                context.log().outcome("replayed");
                return new ApiResponse(200, Map.of("Content-Type", "application/json", IdempotentRequests.REPLAYED, "true"),
                        resend.replayJson());
            }
            expectedGeneration = resend.generation();
        }
        CompactionService.Call call = new CompactionService.Call(context.requestId(), context.startedAt(), claim, null,
                CompactRoute::responseJson, sdkCall, expectedGeneration);
        try {
            return succeeded(service.compact(context.tenant(), parsed.target(), parsed.settings(), TRIGGER, context.deadline(), call),
                    context.log());
        } catch (RuntimeException e) {
            ApiResponse error = ErrorResponses.of(e, context.requestId());
            String type = failed(e, error, context.log());
            if (metered(error)) {
                usage.record(UsageRecord.failed(context.tenant(), context.requestId(), context.startedAt(), parsed.pathId(), null,
                        parsed.requestedMode(), since(context.startedAt()), error.status(), type));
            }
            throw e;
        }
    }

    /**
     * Runs a job a worker claimed: the request it stores, through the same code as a synchronous
     * one. Success is written by the commit; a failure here, with the call's usage.
     *
     * @return the response the request would have got synchronously (the job's result)
     * @throws JobNotRunningException when the worker lost the job before finishing it; it wrote nothing
     */
    ApiResponse runJob(CompactionJob job, Instant deadline, RequestLog log) {
        log.markCompaction();
        log.conversation(job.conversationId()).job(job.id()).put("attempt", job.attempt());
        CompactionService.Call call = new CompactionService.Call(job.id(), job.createdAt(), null, job, CompactRoute::responseJson);
        String mode = null;
        try {
            CompactRequest parsed = CompactRequest.ofJob(job.conversationId(), job.requestBody());
            mode = parsed.requestedMode();
            log.mode(mode);
            return succeeded(service.compact(job.tenant(), parsed.target(), parsed.settings(), TRIGGER, deadline, call), log);
        } catch (JobNotRunningException e) {
            throw e;
        } catch (RuntimeException e) {
            ApiResponse error = ErrorResponses.of(e, job.id());
            if (!jobs.fail(job, error, failed(e, error, log), mode)) {
                throw new JobNotRunningException(job.id());
            }
            return error;
        }
    }

    private ApiResponse succeeded(CompactionService.Result result, RequestLog log) {
        Reported.Committed committed = result.committed();
        CompactionReport report = committed.report();
        CompactionReport.Usage used = report.usage();
        log.compacted(report).outcome(UsageRecord.SUCCEEDED).conversation(committed.conversationId())
                .put("generation", committed.generation());
        ApiResponse response = ApiResponse.json(200, body(result));
        if (committed.trigger() != null) {
            // Another compaction's answer, waited for: this call used no model, so it carries no usage (as a replay).
            log.put("answered_by", committed.trigger());
            return response;
        }
        for (Map.Entry<String, String> header : UsageViews.headers(used).entrySet()) {
            response = response.withHeader(header.getKey(), header.getValue());
        }
        return response;
    }

    /** Whether the request is an SDK's resend of a call (its retry count above 0). */
    private static boolean resend(ApiRequest request) {
        try {
            return Integer.parseInt(request.headers().get(SDK_RETRY_COUNT).strip()) > 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Logs a failed compaction's outcome; returns its error type. */
    private static String failed(RuntimeException e, ApiResponse error, RequestLog log) {
        String type = ErrorResponses.type(e, error.status());
        log.outcome(UsageRecord.FAILED).put("error", type);
        return type;
    }

    /** Invalid input changes nothing, usage included; every other outcome of a compaction is metered. */
    static boolean metered(ApiResponse error) {
        return error.status() != 422;
    }

    private long since(Instant start) {
        return Duration.between(start, clock.instant()).toMillis();
    }

    private static String responseJson(CompactionService.Result result) {
        return ApiResponse.write(body(result));
    }

    /** Letta's {@code CompactionResponse}, our report under {@code compaction}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Body(String summary, int numMessagesBefore, int numMessagesAfter, Reported compaction) {}

    private static Body body(CompactionService.Result result) {
        return new Body(result.summary(), result.numMessagesBefore(), result.numMessagesAfter(), result.compaction());
    }

    /** Letta's {@code ConversationIdOrDefault}: at most 42 characters, then the id pattern. */
    static void validatePathId(String id) {
        List<Object> loc = List.of("path", "conversation_id");
        if (id == null) {
            throw new InvalidInputException(FieldError.of("missing", loc, "Field required", null));
        }
        if (id.length() > Ids.MAX_CONVERSATION_ID_LENGTH) {
            throw new InvalidInputException(new FieldError("string_too_long", loc,
                    "String should have at most " + Ids.MAX_CONVERSATION_ID_LENGTH + " characters", id,
                    Map.of("max_length", (long) Ids.MAX_CONVERSATION_ID_LENGTH)));
        }
        if (!Ids.isConversationIdOrDefault(id)) {
            throw new InvalidInputException(new FieldError("string_pattern_mismatch", loc,
                    "String should match pattern '" + Ids.CONVERSATION_ID_OR_DEFAULT + "'", id,
                    Map.of("pattern", Ids.CONVERSATION_ID_OR_DEFAULT)));
        }
    }
}
