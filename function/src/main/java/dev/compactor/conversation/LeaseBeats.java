package dev.compactor.conversation;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The schedule behind a short lease that is kept alive while its work runs (a compaction's lease,
 * an asynchronous job's claim, an Idempotency-Key request's claim): taken for one
 * {@link LeaseRenewal#lease()} and renewed every {@link LeaseRenewal#heartbeat()}, never past its
 * limit (the holder's deadline plus margin, where it has one), so that a holder that crashed is
 * taken over one lease later.
 */
public final class LeaseBeats {
    /** Renews the leases of running work; one daemon thread, started on first use. */
    private static final ScheduledExecutorService BEATS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lease-heartbeat");
        t.setDaemon(true);
        return t;
    });

    /** One renewal: true when the lease now runs {@code until}, false when its store refused it (it was removed or taken over). */
    @FunctionalInterface
    public interface Renewal {
        boolean renewTo(Instant until);
    }

    private final Clock clock;
    private final LeaseRenewal renewal;

    public LeaseBeats(Clock clock, LeaseRenewal renewal) {
        this.clock = clock;
        this.renewal = renewal;
    }

    /** Until when to take or renew a lease now: one lease from now, and never past {@code limit}. */
    public Instant until(Instant limit) {
        Instant until = clock.instant().plus(renewal.lease());
        return until.isBefore(limit) ? until : limit;
    }

    /**
     * Renews a lease taken until {@code taken} every beat until closed. A refused renewal ends the
     * beats; one that throws is reported to {@code failed} and tried again at the next beat.
     */
    public LeaseHeartbeat start(Instant taken, Instant limit, Renewal renew, Consumer<RuntimeException> failed) {
        if (!taken.isBefore(limit)) {
            return () -> { }; // taken up to its limit already: no beat could move it on
        }
        long every = renewal.heartbeat().toMillis();
        AtomicReference<ScheduledFuture<?>> self = new AtomicReference<>();
        AtomicReference<Instant> written = new AtomicReference<>(taken);
        Runnable beat = () -> {
            Instant until = until(limit);
            if (!until.isAfter(written.get())) {
                return;
            }
            try {
                if (renew.renewTo(until)) {
                    written.set(until);
                    if (!until.isBefore(limit)) {
                        self.get().cancel(false); // at its limit: nothing left to renew
                    }
                } else {
                    self.get().cancel(false);
                }
            } catch (RuntimeException e) {
                // An exception would end the schedule; the lease outlasts a missed beat or two.
                failed.accept(e);
            }
        };
        self.set(BEATS.scheduleAtFixedRate(beat, every, every, TimeUnit.MILLISECONDS));
        return () -> self.get().cancel(false);
    }
}
