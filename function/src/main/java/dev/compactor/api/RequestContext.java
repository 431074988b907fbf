package dev.compactor.api;

import java.time.Instant;

/**
 * Who is calling and by when the answer is needed.
 *
 * @param deadline when the work must be finished so the answer still reaches the caller
 */
record RequestContext(String tenant, String requestId, Instant deadline) {}
