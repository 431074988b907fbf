package dev.compactor.conversation;

import java.time.Duration;

/** The request holding an Idempotency-Key has not finished, or lost its claim; nothing was changed. */
public final class IdempotencyConflictException extends RuntimeException {
    private final Duration retryAfter;

    public IdempotencyConflictException(String message) {
        this(message, null);
    }

    /** @param retryAfter when the holder's lease runs out, so a retry then finds it finished or gone; null when unknown */
    public IdempotencyConflictException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
