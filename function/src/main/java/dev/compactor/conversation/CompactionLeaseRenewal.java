package dev.compactor.conversation;

import java.time.Duration;

/**
 * How a running compaction shows it is alive: its {@link CompactionLease} runs for {@code lease}
 * from when it is taken and a heartbeat renews it every {@code heartbeat} (one conditional
 * {@code UpdateItem} on the head each), never past the holder's deadline plus its margin. A holder
 * that stops renewing crashed, and its lease is taken over one lease later instead of after its
 * deadline (15 minutes for the batch worker). An asynchronous job's claim is kept the same way
 * (its worker's crash is then retried by Lambda one lease later), with the same settings: both
 * bound how long a crashed worker holds up work, and one pair of numbers is one thing to tune.
 *
 * <p>Lambda freezes a container between invocations and may kill a sandbox at any time; the
 * heartbeat runs in the container, so a frozen or killed holder stops renewing, which is what the
 * lease should see. The defaults, 30 s and 10 s, let two beats in a row be lost (throttled, or
 * refused while an append's transaction holds the head) before the lease runs out, and a
 * compaction shorter than one beat pays for no renewal at all.
 */
public record CompactionLeaseRenewal(Duration lease, Duration heartbeat) {
    public static final CompactionLeaseRenewal DEFAULT = new CompactionLeaseRenewal(Duration.ofSeconds(30), Duration.ofSeconds(10));

    public CompactionLeaseRenewal {
        if (heartbeat.isNegative() || heartbeat.isZero() || heartbeat.compareTo(lease) >= 0) {
            throw new IllegalArgumentException("the heartbeat (" + heartbeat + ") must be positive and shorter than the lease ("
                    + lease + ")");
        }
    }
}
