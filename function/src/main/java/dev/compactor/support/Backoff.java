package dev.compactor.support;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * The one retry-delay policy: the cap doubles with each attempt up to {@code max}, and the wait is
 * drawn uniformly below it (full jitter), so callers that failed together do not retry together.
 *
 * @param base the cap before the first retry
 * @param max the largest cap
 */
public record Backoff(Duration base, Duration max) {
    /** For AWS calls made by hand (SQS batches, SSM, Lambda's Invoke): 100 ms doubling to 3 s. */
    public static final Backoff AWS = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(3));

    public Backoff {
        if (base.isNegative() || max.compareTo(base) < 0) {
            throw new IllegalArgumentException("backoff needs 0 <= base <= max, got " + base + " and " + max);
        }
    }

    /** The wait before the attempt after {@code failedAttempt} (1 for the first). */
    public Duration delay(int failedAttempt, RandomGenerator random) {
        long cap = Math.min(max.toMillis(), base.toMillis() << Math.min(Math.max(failedAttempt - 1, 0), 20));
        return Duration.ofMillis(random.nextLong(cap + 1));
    }
}
