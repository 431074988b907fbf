package dev.compactor.conversation;

import java.time.Instant;

/**
 * Where the purge of one conversation stands. It holds counts and times only, never message text,
 * and outlives the conversation for {@code ConversationPurges.RECEIPT_RETENTION} so that a
 * background purge can be polled to its end.
 *
 * @param status {@link #PURGING} from the tombstone until the head is deleted, then {@link #PURGED}
 * @param itemsAtStart the conversation's item count estimated from its head when the purge began
 *     (messages, summary records and markers): what decides whether it runs inline
 * @param itemsDeleted items deleted so far (the conversation's, and the records it referenced)
 * @param generation the conversation's compaction generation when its head was tombstoned
 * @param finishedAt when the head was deleted, or null while purging
 */
public record PurgeStatus(String tenant, String conversationId, String agentId, String status, long itemsAtStart,
                          long itemsDeleted, long generation, Instant startedAt, Instant finishedAt) {
    public static final String PURGING = "purging";
    public static final String PURGED = "purged";

    public boolean done() {
        return PURGED.equals(status);
    }
}
