package dev.compactor.llm;

import dev.compactor.support.Backoff;
import dev.compactor.support.Log;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * Bounded retries with exponential backoff and full jitter for failures a provider says are
 * transient (429, 5xx, a dropped connection, an attempt that timed out). No attempt starts unless
 * it has at least {@link #minAttemptTime} before the deadline, and each gets at most
 * {@link #maxAttemptTime}, so retrying never runs past the request's deadline.
 */
public final class Retrier {
    /** One attempt and two retries. */
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    public static final Duration DEFAULT_BASE_DELAY = Duration.ofMillis(500);
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(8);
    /** Below this a model call cannot be expected to finish, so it is not started. */
    public static final Duration DEFAULT_MIN_ATTEMPT_TIME = Duration.ofSeconds(2);
    /** Long enough for a 4k-token summary from a slow model; the scheduled batch has 15 minutes. */
    public static final Duration DEFAULT_MAX_ATTEMPT_TIME = Duration.ofMinutes(5);

    /** Waits between attempts; tests pass one that records instead of sleeping. */
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final int maxAttempts;
    private final Backoff backoff;
    private final Duration minAttemptTime;
    private final Duration maxAttemptTime;
    private final RandomGenerator random;
    private final Clock clock;
    private final Sleeper sleeper;

    public Retrier(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration minAttemptTime, Duration maxAttemptTime,
                   RandomGenerator random, Clock clock, Sleeper sleeper) {
        this.maxAttempts = maxAttempts;
        this.backoff = new Backoff(baseDelay, maxDelay);
        this.minAttemptTime = minAttemptTime;
        this.maxAttemptTime = maxAttemptTime;
        this.random = random;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    public static Retrier standard() {
        return new Retrier(DEFAULT_MAX_ATTEMPTS, DEFAULT_BASE_DELAY, DEFAULT_MAX_DELAY, DEFAULT_MIN_ATTEMPT_TIME,
                DEFAULT_MAX_ATTEMPT_TIME, RandomGenerator.getDefault(), Clock.systemUTC(), d -> Thread.sleep(d));
    }

    /**
     * Runs {@code attempt} (given its own deadline) until it succeeds, fails for good, runs out of
     * attempts, or no time is left for another one.
     *
     * @throws LlmException the last failure; {@code TIMEOUT} when no attempt could start at all
     */
    public <T> T call(String provider, Instant deadline, Function<Instant, T> attempt) {
        for (int n = 1; ; n++) {
            Instant now = clock.instant();
            if (now.plus(minAttemptTime).isAfter(deadline)) {
                throw new LlmException(LlmException.Kind.TIMEOUT, provider,
                        "No time left to call " + provider + " before the request's deadline");
            }
            Instant attemptDeadline = min(deadline, now.plus(maxAttemptTime));
            try {
                return attempt.apply(attemptDeadline);
            } catch (LlmException e) {
                Duration delay = delay(n, e);
                if (!e.retryable() || n >= maxAttempts || clock.instant().plus(delay).plus(minAttemptTime).isAfter(deadline)) {
                    throw e;
                }
                Log.warn("llm.retry", "provider", provider, "kind", e.kind().name(), "attempt", n, "delay_ms", delay.toMillis());
                pause(delay, e);
            }
        }
    }

    /** The provider's Retry-After when it gave one, else the backoff policy's. */
    private Duration delay(int attempt, LlmException e) {
        return e.retryAfter() != null ? e.retryAfter() : backoff.delay(attempt, random);
    }

    private void pause(Duration delay, LlmException cause) {
        try {
            sleeper.sleep(delay);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw cause;
        }
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
