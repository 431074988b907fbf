package dev.compactor.conversation;

/** The request holding an Idempotency-Key has not finished, or lost its claim; nothing was changed. */
public final class IdempotencyConflictException extends RuntimeException {
    public IdempotencyConflictException(String message) {
        super(message);
    }
}
