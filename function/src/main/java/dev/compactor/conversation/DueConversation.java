package dev.compactor.conversation;

import java.time.Instant;

/**
 * A conversation the due index lists for scheduled compaction. The unit of work is the
 * conversation at {@code generation}: compacting it commits only at that generation.
 *
 * @param listedAs why it is listed: {@link DueState#DUE} (over its threshold), {@link DueState#IDLE}
 *     (quiet above the idle threshold) or {@link DueState#QUEUED} (sent long ago and still not
 *     compacted)
 * @param since for idle entries the last activity, for queued ones when they were sent; null for due ones
 */
public record DueConversation(String tenant, String conversationId, long generation, long contextTokens, DueState listedAs,
                              Instant since) {}
