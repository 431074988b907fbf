package dev.compactor.conversation;

import java.time.Duration;
import java.time.Instant;

/**
 * Retention of evicted history: messages out of context, and summaries no longer in context,
 * expire {@code keep} after they are released, through DynamoDB TTL. Releasing happens after a
 * compaction commits (never in its transaction, so the commit's cost does not grow with what it
 * evicted), and a released message can never come back into context: a revert that would need
 * one is refused.
 */
public interface HistoryRetention {
    /**
     * Releases the conversation's history below its context start to retention, stamping each
     * released item to expire {@code keep} from now, until done or {@code deadline}; a later run
     * continues where this one stopped.
     *
     * @return the items stamped by this run
     * @throws ConversationNotFoundException when the conversation is gone or being purged
     */
    long stamp(String tenant, String conversationId, Duration keep, Instant deadline);
}
