package dev.compactor.conversation;

import java.time.Instant;

/** Idempotency-Key claims: one request runs per key, and a retry gets the stored response. */
public interface IdempotencyKeys {
    /**
     * Claims an Idempotency-Key for a request, or finds its stored response. Waits while another
     * request holds the key, until {@code deadline}.
     *
     * @param fingerprint identifies the request; the same key with another fingerprint is refused
     * @throws IdempotencyKeyReusedException when the key was used for a different request
     * @throws IdempotencyConflictException when the key's request is still running (its lease
     *     renewed) at the deadline
     */
    IdempotencyOutcome claim(String tenant, String key, String fingerprint, Instant deadline);

    /** Gives up a claim after a failed request, so that a retry with the same key runs again. */
    void release(IdempotencyClaim claim);

    /**
     * Keeps the claim's lease alive while its request runs, until closed; a claim whose lease
     * runs out is taken over by the next request with its key.
     */
    LeaseHeartbeat heartbeat(IdempotencyClaim claim);
}
