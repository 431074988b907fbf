package dev.compactor.conversation;

import java.util.List;
import java.util.Optional;

/**
 * Conversations and their messages: appends, the current context, and the compaction commit
 * that replaces part of it. Every call is scoped to one tenant.
 */
public interface MessageStore {
    /** The most messages one append takes: one DynamoDB transaction holds 100 actions, one of them the head update. */
    int MAX_APPEND = 99;

    /** Creates a conversation for the agent whose first message is the agent's system prompt. */
    ConversationHead createConversation(String tenant, Agent agent, String conversationId);

    Optional<ConversationHead> findConversation(String tenant, String conversationId);

    /**
     * Appends messages all-or-nothing; returns them with their ids, sequence numbers and creation
     * times, and the head the append wrote. Never conflicts with a compaction in flight.
     *
     * @throws UnknownToolCallException when a tool result answers no preceding tool call
     * @throws MessageTooLargeException when a message or the batch cannot be stored
     */
    Appended appendMessages(String tenant, String conversationId, List<Message> messages);

    /** {@link #appendMessages}, for callers that need only the stored messages. */
    default List<Message> append(String tenant, String conversationId, List<Message> messages) {
        return appendMessages(tenant, conversationId, messages).messages();
    }

    /** The conversation's current context. */
    Snapshot snapshot(String tenant, String conversationId);

    /**
     * The context as of {@code head} (from {@link #findConversation}): its system message, its
     * summary and the messages from its context start. Reads the system message and the summary in
     * one request and the context range in one Query, or only what this container does not hold of
     * them yet; never the evicted history. Messages are never rewritten, so the result is exactly
     * the context {@code head} points at, whatever was committed since.
     *
     * @throws ConversationNotFoundException when the conversation is gone
     */
    Snapshot context(String tenant, ConversationHead head);

    /**
     * The current context: {@link #context(String, ConversationHead)} of the head read now, in as
     * few round trips one after the other as this container's earlier reads allow.
     *
     * @throws ConversationNotFoundException when there is no live conversation
     */
    Snapshot context(String tenant, String conversationId);

    /**
     * Commits a compaction atomically.
     *
     * @throws ConcurrentCompactionException when another compaction committed since the snapshot
     * @throws IdempotencyConflictException when the commit's Idempotency-Key claim was taken over
     */
    void commit(String tenant, String conversationId, Commit commit);

    /**
     * Claims the conversation's generation {@code lease.generation()} for a compaction about to call
     * its model: the head shows the lease until the commit (which removes it), a
     * {@link #releaseLease} or {@code lease.until()}. A client's compaction (a request or job) takes
     * over another client's live lease, as two manual compactions race today; nothing takes over a
     * live background lease, and a background compaction takes over no live lease.
     *
     * @return empty when {@code lease} is now the head's; else the live lease that keeps it out
     * @throws ConcurrentCompactionException when the conversation is no longer at that generation
     * @throws ConversationNotFoundException when the conversation is gone
     */
    Optional<CompactionLease> takeLease(String tenant, String conversationId, CompactionLease lease);

    /**
     * Moves the head's lease on to {@code renewed.until()} (its holder's heartbeat), only while the
     * head still shows that very lease (its id and generation) on a live conversation, so that a
     * lease the commit removed, a release removed or another compaction took over never comes back.
     *
     * @return false when the head no longer shows it; nothing was written
     */
    boolean renewLease(String tenant, String conversationId, CompactionLease renewed);

    /** Removes {@code lease} from the head if it is still there (a compaction that will not commit); anything else is left. */
    void releaseLease(String tenant, String conversationId, CompactionLease lease);

    /**
     * Records, all or nothing, what a call answered with a compaction another one committed: the
     * Idempotency-Key's response, the job's result, the SDK call's answer and the usage record of
     * {@code answered}, whose summary is that compaction's record. The head is not written.
     *
     * @throws IdempotencyConflictException when the call's Idempotency-Key claim was taken over
     * @throws JobNotRunningException when the job's worker no longer holds it
     */
    void answer(String tenant, String conversationId, Commit answered);

    /** The summary record compaction {@code generation} committed; empty when none did (a revert made that generation). */
    Optional<SummaryRecord> summaryRecord(String tenant, String conversationId, long generation);

    /**
     * Every message ever appended and every summary ever committed, in conversation order: a
     * summary sits after the last message it covers. Evicted messages stay listed.
     */
    List<Message> history(String tenant, String conversationId, HistoryQuery query);

    /**
     * The answer an SDK call without an Idempotency-Key committed (written by {@link #commit}), identified by its request's
     * fingerprint, while the SDK may still resend it (minutes); empty when there is none.
     */
    Optional<CommittedCall> committedSdkCall(String tenant, String fingerprint);
}
