package dev.compactor.conversation;

/** An Idempotency-Key arrived again with a different request. */
public final class IdempotencyKeyReusedException extends RuntimeException {
    public IdempotencyKeyReusedException() {
        super("This Idempotency-Key was already used with a different request (path or body); use a new key for a new request.");
    }
}
