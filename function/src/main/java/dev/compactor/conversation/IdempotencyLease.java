package dev.compactor.conversation;

import java.time.Duration;

/**
 * How a running Idempotency-Key request shows it is alive: its claim holds a lease of
 * {@code lease}, renewed every {@code heartbeat} while the request runs (one conditional update
 * each). A claim whose lease ran out belongs to a request that died, and the next request with
 * the key takes it over, so a retry after a crash waits at most one lease rather than its deadline.
 */
public record IdempotencyLease(Duration lease, Duration heartbeat) {
    public static final IdempotencyLease DEFAULT = new IdempotencyLease(Duration.ofSeconds(10), Duration.ofSeconds(3));

    public IdempotencyLease {
        if (heartbeat.isNegative() || heartbeat.isZero() || heartbeat.compareTo(lease) >= 0) {
            throw new IllegalArgumentException("the heartbeat (" + heartbeat + ") must be positive and shorter than the lease ("
                    + lease + ")");
        }
    }
}
