package dev.compactor.conversation;

import java.time.Duration;

/**
 * How running work shows it is alive: its lease runs for {@code lease} from when it is taken and a
 * heartbeat renews it every {@code heartbeat} (one conditional {@code UpdateItem} each, see
 * {@link LeaseBeats}). Work that stops renewing crashed, and its lease is taken over one lease
 * later instead of after its deadline.
 *
 * <p>Lambda freezes a container between invocations and may kill a sandbox at any time; the
 * heartbeat runs in the container, so a frozen or killed holder stops renewing, which is what the
 * lease should see. Each default lets two beats in a row be lost (throttled, or refused while an
 * append's transaction holds the head) before the lease runs out.
 */
public record LeaseRenewal(Duration lease, Duration heartbeat) {
    /**
     * A compaction's lease on its conversation ({@link CompactionLease}) and an asynchronous job's
     * claim: a compaction shorter than one beat pays for no renewal, and a crashed worker holds up
     * its conversation or job for 30 s rather than its deadline (15 minutes for the batch worker).
     * Both bound how long a crashed worker holds up work: one pair of numbers to tune.
     */
    public static final LeaseRenewal COMPACTION = new LeaseRenewal(Duration.ofSeconds(30), Duration.ofSeconds(10));
    /**
     * An Idempotency-Key request's claim: a retry after the request crashed waits at most one
     * lease, which for a synchronous request should be short.
     */
    public static final LeaseRenewal IDEMPOTENCY = new LeaseRenewal(Duration.ofSeconds(10), Duration.ofSeconds(3));

    public LeaseRenewal {
        if (heartbeat.isNegative() || heartbeat.isZero() || heartbeat.compareTo(lease) >= 0) {
            throw new IllegalArgumentException("the heartbeat (" + heartbeat + ") must be positive and shorter than the lease ("
                    + lease + ")");
        }
    }
}
