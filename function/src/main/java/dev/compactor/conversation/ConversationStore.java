package dev.compactor.conversation;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** Where agents and conversations live. Every call is scoped to one tenant. */
public interface ConversationStore {

    /** Stores a new agent and its default conversation (whose id is the agent's id). */
    Agent createAgent(String tenant, Agent agent);

    Optional<Agent> findAgent(String tenant, String agentId);

    /**
     * Replaces a stored agent's fields (its id and creation time stay).
     *
     * @throws AgentNotFoundException when there is no such agent
     */
    Agent updateAgent(String tenant, Agent agent);

    /** Creates a conversation for the agent whose first message is the agent's system prompt. */
    ConversationHead createConversation(String tenant, Agent agent, String conversationId);

    Optional<ConversationHead> findConversation(String tenant, String conversationId);

    /**
     * Appends messages all-or-nothing; returns them with their ids, sequence numbers and creation
     * times. Never conflicts with a compaction in flight.
     *
     * @throws UnknownToolCallException when a tool result answers no preceding tool call
     * @throws MessageTooLargeException when a message or the batch cannot be stored
     */
    List<Message> append(String tenant, String conversationId, List<Message> messages);

    /** The conversation's current context. */
    Snapshot snapshot(String tenant, String conversationId);

    /**
     * Commits a compaction atomically.
     *
     * @throws ConcurrentCompactionException when another compaction committed since the snapshot
     * @throws IdempotencyConflictException when the commit's Idempotency-Key claim was taken over
     */
    void commit(String tenant, String conversationId, Commit commit);

    /**
     * Every message ever appended and every summary ever committed, in conversation order: a
     * summary sits after the last message it covers. Evicted messages stay listed.
     */
    List<Message> history(String tenant, String conversationId, HistoryQuery query);

    /** Summary records by generation, {@code limit} of them after generation {@code after} (0 for the start). */
    List<SummaryRecord> compactions(String tenant, String conversationId, long after, int limit, boolean ascending);

    /**
     * Restores the context as it was before compaction {@code generation}, guarded like a commit.
     * Messages appended since stay in context; nothing is deleted.
     *
     * @throws CompactionNotFoundException when there is no such generation
     * @throws NotRevertibleException when that compaction is no longer part of the context
     * @throws ConcurrentCompactionException when a compaction or revert committed meanwhile
     */
    Reverted revert(String tenant, String conversationId, long generation);

    /**
     * Claims an Idempotency-Key for a request, or finds its stored response. Waits while another
     * request holds the key, until {@code deadline}.
     *
     * @param fingerprint identifies the request; the same key with another fingerprint is refused
     * @throws IdempotencyKeyReusedException when the key was used for a different request
     * @throws IdempotencyConflictException when the key's request is still running (its lease
     *     renewed) at the deadline
     */
    IdempotencyOutcome claim(String tenant, String key, String fingerprint, Instant deadline);

    /** Gives up a claim after a failed request, so that a retry with the same key runs again. */
    void release(IdempotencyClaim claim);

    /**
     * Keeps the claim's lease alive while its request runs, until closed; a claim whose lease
     * runs out is taken over by the next request with its key.
     */
    LeaseHeartbeat heartbeat(IdempotencyClaim claim);

    /**
     * The answer an SDK call without an Idempotency-Key committed, identified by its request's
     * fingerprint, while the SDK may still resend it (minutes); empty when there is none.
     */
    Optional<CommittedCall> committedSdkCall(String tenant, String fingerprint);

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
