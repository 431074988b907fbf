package dev.compactor.conversation;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Purging a conversation: every item it has (messages, summaries and their markers, the head with
 * its due-index entry, and the Idempotency-Key and job records it references) is deleted. The head
 * is tombstoned first, so nothing racing the purge can write to the conversation afterwards; the
 * tombstone is also where an interrupted purge resumes. An agent's purge is this, once per
 * conversation of the agent.
 */
public interface ConversationPurges {
    /** How long the receipt of a finished purge can be read. */
    Duration RECEIPT_RETENTION = Duration.ofDays(7);

    /**
     * Tombstones the conversation (again, when a purge already began: then it resumes), so that
     * from now on it reads as not found and every write to it fails.
     *
     * @return the purge as it stands; {@link PurgeStatus#done()} when it had already finished
     * @throws ConversationNotFoundException when there is neither a conversation nor a recent purge of it
     */
    PurgeStatus begin(String tenant, String conversationId);

    /**
     * Deletes the tombstoned conversation's items in batches until none is left or
     * {@code deadline} passes; the head goes last.
     *
     * @return the purge as it stands: done, or still purging when the deadline came first
     */
    PurgeStatus resume(String tenant, String conversationId, Instant deadline);

    /** The purge of this conversation, running or finished within {@link #RECEIPT_RETENTION}. */
    Optional<PurgeStatus> status(String tenant, String conversationId);
}
