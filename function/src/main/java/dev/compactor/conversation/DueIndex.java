package dev.compactor.conversation;

import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

/** The index of conversations due for scheduled compaction, sharded by state. */
public interface DueIndex {
    /**
     * Reads one partition of the due index, a page of up to {@code pageSize} entries at a time,
     * until {@code eachPage} returns false or the partition ends. The index is eventually
     * consistent: an entry may be a moment stale, which {@link #claimDue} checks.
     *
     * @param shard in {@code [0, DueState.SHARDS)}
     * @param before for idle and queued entries, only those whose time is earlier; ignored for due ones
     */
    void scanDue(DueState state, int shard, Instant before, int pageSize, Predicate<List<DueConversation>> eachPage);

    /**
     * Marks entries as sent to the compaction queue, each only if it is still where the index
     * listed it and at the same generation; returns the ones marked. A marked conversation leaves
     * the index when a compaction commits, re-enters as due if it still is, and is listed again as
     * queued after a while if nothing committed.
     */
    List<DueConversation> claimDue(List<DueConversation> entries);
}
