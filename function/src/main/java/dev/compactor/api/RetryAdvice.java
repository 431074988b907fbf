package dev.compactor.api;

import java.util.Set;

/**
 * Tells Letta's official SDKs which failures are worth their automatic retry. The Stainless-built
 * clients retry 408, 409, 429 and every 5xx (twice by default) unless the answer carries
 * {@code x-should-retry: false}. Only answers where nothing was committed and waiting may help
 * are left retryable: 408, 429 (a rate limit, ours or the provider's, after its Retry-After),
 * 503 (provider overloaded, or a job that could not be started and changed nothing) and 504
 * (the deadline ran out before any commit). Every other error would fail the same way again or
 * repeat work already done: a 409 (another compaction won; retrying would compact a second
 * time), 413/422 and the other 4xx, a 502 (a quality-gate rejection or a provider failure our
 * own retries and fallbacks already went through), and a 500 (our bug, which a retry does not fix).
 */
final class RetryAdvice {
    static final String HEADER = "x-should-retry";
    private static final Set<Integer> RETRYABLE = Set.of(408, 429, 503, 504);

    private RetryAdvice() {}

    static ApiResponse advise(ApiResponse response) {
        if (response.status() < 400 || RETRYABLE.contains(response.status())) {
            return response;
        }
        return response.withHeader(HEADER, "false");
    }
}
