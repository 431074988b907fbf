package dev.compactor.conversation;

import java.time.Instant;
import java.util.Locale;

/**
 * A compaction in progress, as the conversation's head shows it to every other compaction: the
 * generation it compacts, who runs it, and until when. It lets one model call run per generation
 * (a background compaction finding another's lease skips; a request finding a background one waits
 * for it). Correctness does not rest on it: commits stay conditional on the generation.
 *
 * @param id the holder's own, so that its release removes its lease and no other's
 * @param until when it runs out unless its holder's heartbeat renews it (see
 *     {@link LeaseRenewal}), at most a little past the holder's deadline, by which it
 *     commits or gives up; afterwards the lease is free to take (its holder crashed)
 */
public record CompactionLease(long generation, Holder holder, String id, Instant until) {

    /** Who runs the compaction: a request or job of a client, or a background worker. */
    public enum Holder {
        MANUAL, JOB, DUE, SCHEDULE;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Holder fromWire(String wire) {
            return valueOf(wire.toUpperCase(Locale.ROOT));
        }

        /** The due stream's or discovery's worker, which nobody waits for: it may be skipped. */
        public boolean background() {
            return this == DUE || this == SCHEDULE;
        }
    }

    /** The same lease running until {@code later}: what a heartbeat writes. */
    public CompactionLease renewedTo(Instant later) {
        return new CompactionLease(generation, holder, id, later);
    }

    /** Whether it still holds {@code compactionGen} at {@code now}: the head has not moved on and it has not run out. */
    public boolean holds(long compactionGen, Instant now) {
        return generation == compactionGen && until.isAfter(now);
    }
}
