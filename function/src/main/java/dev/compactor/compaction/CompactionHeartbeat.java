package dev.compactor.compaction;

import dev.compactor.conversation.CompactionLease;
import dev.compactor.conversation.LeaseRenewal;
import dev.compactor.conversation.LeaseBeats;
import dev.compactor.conversation.LeaseHeartbeat;
import dev.compactor.conversation.MessageStore;
import dev.compactor.support.Log;
import java.time.Clock;
import java.time.Instant;

/**
 * Keeps a running compaction's lease short and alive: it is taken for one
 * {@link LeaseRenewal#lease()} and renewed every {@link LeaseRenewal#heartbeat()}
 * while the compaction runs, up to its limit (the holder's deadline plus margin), so that a holder
 * that crashed is taken over one lease later.
 */
final class CompactionHeartbeat {
    private final MessageStore store;
    private final LeaseBeats beats;

    CompactionHeartbeat(MessageStore store, Clock clock, LeaseRenewal renewal) {
        this.store = store;
        this.beats = new LeaseBeats(clock, renewal);
    }

    /** The lease to take now: one lease long, and never past {@code limit}. */
    CompactionLease lease(long generation, CompactionLease.Holder holder, String id, Instant limit) {
        return new CompactionLease(generation, holder, id, beats.until(limit));
    }

    /**
     * Renews {@code taken} every beat until closed. A renewal the head refuses (the lease was
     * removed or taken over) ends the beats; one that fails otherwise is tried again at the next.
     */
    LeaseHeartbeat start(String tenant, String conversationId, CompactionLease taken, Instant limit) {
        return beats.start(taken.until(), limit, until -> store.renewLease(tenant, conversationId, taken.renewedTo(until)),
                e -> Log.warn("compaction.lease_renew_failed", "conversation_id", conversationId, "error", e.getClass().getSimpleName()));
    }
}
