package dev.compactor.api;

import java.time.Instant;

/**
 * Who is calling, since when, and by when the answer is needed.
 *
 * @param startedAt when the request (or the job it runs) started; its usage latency runs from here
 * @param deadline when the work must be finished so the answer still reaches the caller
 * @param log what the route reports for the request's log line and metrics
 */
record RequestContext(String tenant, String requestId, Instant startedAt, Instant deadline, RequestLog log) {}
