package dev.compactor.conversation;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * One metered call: a compact request or an asynchronous compaction job, whatever its outcome.
 * The call's id and start name the record, so writing the same call twice changes nothing.
 *
 * @param callId the API Gateway request id of a request, the job id of a job
 * @param startedAt when the call started (kept to the millisecond); its month is the one the call counts in
 * @param jobId the asynchronous job this call ran as, or null
 * @param mode the mode used (the mode requested when the call failed before choosing one), or null
 * @param provider the provider that wrote the summary, or null when none did
 * @param costUsd estimated cost in US dollars, or null when the model has no listed price
 * @param status the HTTP status the caller got (a job: the status its result carries)
 * @param error the error type of a failed call, null for a successful one
 * @param usageRejected why the provider's token counts were not believed (then the counts are zero
 *     and the call unpriced), or null
 */
public record UsageRecord(String tenant, String callId, Instant startedAt, String conversationId, String jobId, String mode,
                          String provider, String model, long inputTokens, long outputTokens, long cacheReadTokens,
                          long cacheWriteTokens, long latencyMs, Double costUsd, int status, String error, String usageRejected) {
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyy-MM").withZone(ZoneOffset.UTC);
    /** Fixed width, so sort keys order by time. */
    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    public UsageRecord {
        startedAt = startedAt.truncatedTo(ChronoUnit.MILLIS);
    }

    public UsageRecord(String tenant, String callId, Instant startedAt, String conversationId, String jobId, String mode,
                       String provider, String model, long inputTokens, long outputTokens, long cacheReadTokens,
                       long cacheWriteTokens, long latencyMs, Double costUsd, int status, String error) {
        this(tenant, callId, startedAt, conversationId, jobId, mode, provider, model, inputTokens, outputTokens, cacheReadTokens,
                cacheWriteTokens, latencyMs, costUsd, status, error, null);
    }

    /** A call that produced no summary: no model, no tokens, no cost. */
    public static UsageRecord failed(String tenant, String callId, Instant startedAt, String conversationId, String jobId,
                                     String mode, long latencyMs, int status, String error) {
        return new UsageRecord(tenant, callId, startedAt, conversationId, jobId, mode, null, null, 0, 0, 0, 0, latencyMs,
                null, status, error);
    }

    public String outcome() {
        return status < 400 ? SUCCEEDED : FAILED;
    }

    /** {@code yyyy-MM} (UTC) of the call's start. */
    public String month() {
        return MONTH.format(startedAt);
    }

    /** The call's start as the fixed-width text its record key holds. */
    public String startedAtText() {
        return MILLIS.format(startedAt);
    }

    /** The record's key within its month: where a listing continues after this record. */
    public String cursor() {
        return startedAtText() + "#" + callId;
    }
}
