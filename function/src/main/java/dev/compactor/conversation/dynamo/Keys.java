package dev.compactor.conversation.dynamo;

import dev.compactor.conversation.DueState;
import java.time.Instant;

/**
 * The table's keys. Every partition key starts with the tenant, and every id placed in a key has
 * been validated against Letta's id patterns (or hashed), so no key can reach another tenant's
 * items.
 *
 * <pre>
 *   T#{tenant}#A#{agentId}   AGENT                       the agent
 *   T#{tenant}#A#{agentId}   CONV#{convId}               one conversation created for the agent (not its default one),
 *                                                        written with the head and deleted with it by its purge, so that
 *                                                        the agent's purge finds every conversation by a consistent Query
 *   T#{tenant}#C#{convId}    HEAD                        counters: next_seq, context_start_seq, compaction_gen, …
 *   T#{tenant}#C#{convId}    MSG#{seq:012}               one message (seq 0 is the system message)
 *   T#{tenant}#C#{convId}    MSG#{seq:012}#S{gen:08}     where summary gen sits in history: after the last
 *                                                        message it covers, before the first it kept
 *   T#{tenant}#C#{convId}    SUM#{gen:08}                one summary generation with its lineage
 *   T#{tenant}#C#{convId}    REF#{pk}                    a record of the conversation kept in another partition
 *                                                        (Idempotency-Key, job), so that a purge finds it by Query
 *   T#{tenant}#P#{convId}    PURGE                       the receipt of a purge: status and counts, no text
 *   T#{tenant}#P#{agentId}   AGENT_PURGE                 the receipt of an agent's purge
 *   T#{tenant}#K#{sha256}    IDEM                        one Idempotency-Key's record
 *   T#{tenant}#J#{jobId}     JOB                         one asynchronous compaction job: request, status, result
 *   T#{tenant}#U#{yyyy-MM}   TOTAL                       the tenant's month of usage: atomic counters
 *   T#{tenant}#U#{yyyy-MM}   REC#{startedAt}#{callId}    one metered call (startedAt to the millisecond, UTC)
 *   APIKEY#{sha256}          APIKEY                      an API key's tenant: the one item found without a
 *                                                        tenant, because finding the tenant is what it is for
 * </pre>
 *
 * <p>Heads in the scheduled-compaction index (GSI {@code due}, sparse) also carry
 * <pre>
 *   due_pk  {DUE|IDLE|QUEUED}#{shard}
 *   due_sk  {tenant}#{convId} (DUE), {epochMillis:015}#{tenant}#{convId} (IDLE: last activity; QUEUED: sent)
 * </pre>
 *
 * <p>Listings are two sparse, KEYS_ONLY global secondary indexes over keys the listed items carry
 * themselves (no satellite items). The sort key is the creation time, which never changes, so
 * appends, compactions and PATCHes never write to them; deleting an item (a purge) removes it from
 * both with no further work, and a soft delete removes the attributes.
 * <pre>
 *   GSI listing           list_pk        T#{tenant}#AGENTS            on agents
 *                                        T#{tenant}#CONVS             on listed conversation heads
 *                         list_sk        {createdAtEpochNanos:019}#{id}
 *   GSI listing_by_agent  agent_list_pk  T#{tenant}#A#{agentId}#CONVS on listed conversation heads
 *                                        T#{tenant}#A#{agentId}#HIDDEN on heads created hidden (found only by
 *                                                                     the agent's delete)
 *                         agent_list_sk  {createdAtEpochNanos:019}#{convId}
 * </pre>
 * An agent's default conversation (its id is the agent's) carries neither: Letta lists it nowhere.
 * A soft-deleted head carries {@code deleted_at} and none of the listing or due keys.
 */
final class Keys {
    static final String HEAD = "HEAD";
    static final String AGENT = "AGENT";
    static final String IDEMPOTENCY = "IDEM";
    static final String JOB = "JOB";
    static final String API_KEY = "APIKEY";
    static final String USAGE_TOTALS = "TOTAL";
    static final String USAGE_RECORDS_FROM = "REC#";
    static final String USAGE_RECORDS_TO = "REC$";
    /** Bounds of the history range: every message and summary marker sorts between them. */
    static final String HISTORY_FROM = "MSG#";
    static final String HISTORY_TO = "MSG$";
    static final String SUMMARIES_FROM = "SUM#";
    static final String SUMMARIES_TO = "SUM$";
    private static final String MARKER = "#S";
    static final String PURGE = "PURGE";
    static final String AGENT_PURGE = "AGENT_PURGE";
    static final String AGENT_CONVERSATION = "CONV#";
    static final String REFERENCE = "REF#";


    static final String LISTING_INDEX = "listing";
    static final String AGENT_LISTING_INDEX = "listing_by_agent";

    private Keys() {}

    static String agentsListing(String tenant) {
        return "T#" + tenant + "#AGENTS";
    }

    static String conversationsListing(String tenant) {
        return "T#" + tenant + "#CONVS";
    }

    /** An agent's listed conversations, or ({@code hidden}) those created hidden from listings. */
    static String agentConversationsListing(String tenant, String agentId, boolean hidden) {
        return agent(tenant, agentId) + (hidden ? "#HIDDEN" : "#CONVS");
    }

    /** Creation time to the nanosecond, fixed width so that key order is time order, then the id (Letta's tie-break). */
    static String listSortKey(Instant createdAt, String id) {
        long nanos = Math.addExact(Math.multiplyExact(createdAt.getEpochSecond(), 1_000_000_000L), createdAt.getNano());
        return String.format("%019d#%s", nanos, id);
    }

    static String conversation(String tenant, String conversationId) {
        return "T#" + tenant + "#C#" + conversationId;
    }

    static String agent(String tenant, String agentId) {
        return "T#" + tenant + "#A#" + agentId;
    }

    /** The sort key of a conversation's entry in its agent's partition. */
    static String agentConversation(String conversationId) {
        return AGENT_CONVERSATION + conversationId;
    }

    static String idempotency(String tenant, String keyHash) {
        return "T#" + tenant + "#K#" + keyHash;
    }

    static String job(String tenant, String jobId) {
        return "T#" + tenant + "#J#" + jobId;
    }

    static String purge(String tenant, String conversationId) {
        return "T#" + tenant + "#P#" + conversationId;
    }

    /** The sort key of the reference to partition {@code pk}'s one record, in the conversation that wrote it. */
    static String reference(String pk) {
        return REFERENCE + pk;
    }

    static String usage(String tenant, String month) {
        return "T#" + tenant + "#U#" + month;
    }

    static String usageRecord(String startedAt, String callId) {
        return USAGE_RECORDS_FROM + startedAt + "#" + callId;
    }

    static String apiKey(String keyHash) {
        return "APIKEY#" + keyHash;
    }

    static String message(long seq) {
        return String.format("MSG#%012d", seq);
    }

    static String summary(long generation) {
        return String.format("SUM#%08d", generation);
    }

    /** Sorts right after message {@code coveredToSeq} and before any summary marker of a later generation there. */
    static String summaryMarker(long coveredToSeq, long generation) {
        return message(coveredToSeq) + String.format(MARKER + "%08d", generation);
    }

    static boolean isSummaryMarker(String sk) {
        return sk.indexOf(MARKER) > 0;
    }

    static long seqOf(String messageSk) {
        return Long.parseLong(messageSk.substring(4, 16));
    }

    static long generationOfMarker(String markerSk) {
        return Long.parseLong(markerSk.substring(markerSk.indexOf(MARKER) + MARKER.length()));
    }

    /** The due-index partition of a conversation in {@code state}: one of {@link DueState#SHARDS}. */
    static String duePartition(DueState state, String tenant, String conversationId) {
        return duePartition(state, Math.floorMod((tenant + "#" + conversationId).hashCode(), DueState.SHARDS));
    }

    static String duePartition(DueState state, int shard) {
        return state.partitionPrefix() + "#" + shard;
    }

    /** A due-index sort key: the conversation, after a fixed-width time for states ordered by time. */
    static String dueSortKey(DueState state, Instant since, String tenant, String conversationId) {
        String conversation = tenant + "#" + conversationId;
        return state == DueState.DUE ? conversation : dueTime(since) + "#" + conversation;
    }

    /** Epoch milliseconds, zero-padded so that sort-key order is time order. */
    static String dueTime(Instant time) {
        return String.format("%015d", time.toEpochMilli());
    }
}
