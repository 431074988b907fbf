package dev.compactor.conversation;

/**
 * One page of Letta's conversation list.
 *
 * @param agentId only this agent's conversations; null for all of the tenant's
 * @param after the conversation the page starts after (in {@code ascending} order), or null
 * @param summarySearch only conversations whose summary contains this text; null for all
 */
public record ConversationQuery(String agentId, int limit, String after, boolean ascending, Order orderBy,
                                String summarySearch, ArchiveStatus archiveStatus) {

    /** What the list is sorted by; ties are broken by id, as Letta does. */
    public enum Order {
        /** Creation time: read in key order from the listing index. */
        CREATED_AT,
        /** Last activity (append, compaction, revert): every conversation in scope is read, then sorted. */
        LAST_ACTIVITY
    }

    public enum ArchiveStatus { UNARCHIVED, ARCHIVED, ALL }
}
