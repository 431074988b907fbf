package dev.compactor.compaction;

import dev.compactor.conversation.CompactionLease;
import dev.compactor.conversation.CompactionLeaseRenewal;
import dev.compactor.conversation.LeaseHeartbeat;
import dev.compactor.conversation.MessageStore;
import dev.compactor.support.Log;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Keeps a running compaction's lease short and alive: it is taken for one
 * {@link CompactionLeaseRenewal#lease()} and renewed every {@link CompactionLeaseRenewal#heartbeat()}
 * while the compaction runs, up to its limit (the holder's deadline plus margin), so that a holder
 * that crashed is taken over one lease later.
 */
final class CompactionHeartbeat {
    /** Renews the leases of running compactions; one daemon thread, started on first use. */
    private static final ScheduledExecutorService BEATS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "compaction-heartbeat");
        t.setDaemon(true);
        return t;
    });

    private final MessageStore store;
    private final Clock clock;
    private final CompactionLeaseRenewal renewal;

    CompactionHeartbeat(MessageStore store, Clock clock, CompactionLeaseRenewal renewal) {
        this.store = store;
        this.clock = clock;
        this.renewal = renewal;
    }

    /** The lease to take now: one lease long, and never past {@code limit}. */
    CompactionLease lease(long generation, CompactionLease.Holder holder, String id, Instant limit) {
        return new CompactionLease(generation, holder, id, until(limit));
    }

    /**
     * Renews {@code taken} every beat until closed. A renewal the head refuses (the lease was
     * removed or taken over) ends the beats; one that fails otherwise is tried again at the next.
     */
    LeaseHeartbeat start(String tenant, String conversationId, CompactionLease taken, Instant limit) {
        if (!taken.until().isBefore(limit)) {
            return () -> { }; // taken up to its limit already: no beat could move it on
        }
        long every = renewal.heartbeat().toMillis();
        AtomicReference<ScheduledFuture<?>> self = new AtomicReference<>();
        AtomicReference<Instant> written = new AtomicReference<>(taken.until());
        Runnable beat = () -> {
            Instant until = until(limit);
            if (!until.isAfter(written.get())) {
                return;
            }
            try {
                if (store.renewLease(tenant, conversationId, taken.renewedTo(until))) {
                    written.set(until);
                    if (!until.isBefore(limit)) {
                        self.get().cancel(false); // at its limit: nothing left to renew
                    }
                } else {
                    self.get().cancel(false);
                }
            } catch (RuntimeException e) {
                // An exception would end the schedule; the lease outlasts a missed beat or two.
                Log.warn("compaction.lease_renew_failed", "conversation_id", conversationId, "error", e.getClass().getSimpleName());
            }
        };
        self.set(BEATS.scheduleAtFixedRate(beat, every, every, TimeUnit.MILLISECONDS));
        return () -> self.get().cancel(false);
    }

    private Instant until(Instant limit) {
        Instant until = clock.instant().plus(renewal.lease());
        return until.isBefore(limit) ? until : limit;
    }
}
