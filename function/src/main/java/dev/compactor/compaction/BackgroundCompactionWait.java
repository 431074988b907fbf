package dev.compactor.compaction;

import dev.compactor.conversation.Agent;
import dev.compactor.conversation.Commit;
import dev.compactor.conversation.CompactionLease;
import dev.compactor.conversation.ConcurrentCompactionException;
import dev.compactor.conversation.ConversationHead;
import dev.compactor.conversation.ConversationNotFoundException;
import dev.compactor.conversation.MessageStore;
import dev.compactor.conversation.Snapshot;
import dev.compactor.conversation.SummaryRecord;
import dev.compactor.support.Backoff;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A client's compaction that met a background one on the same generation: it waits for that
 * compaction and, when it commits, answers with its result instead of paying for a second model call.
 */
final class BackgroundCompactionWait {
    /** The answer's trigger when the adopted commit recorded none (it was written before commits recorded theirs). */
    static final String UNKNOWN_TRIGGER = "unknown";
    /** How a call polls the head while a background compaction runs: 100 ms doubling to 1 s, full jitter. */
    private static final Backoff AWAIT = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));

    private final MessageStore store;
    private final Clock clock;

    BackgroundCompactionWait(MessageStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * Waits, polling the head with capped backoff and jitter within {@code deadline}, while the
     * background compaction {@code held} runs on the generation {@code read} holds.
     *
     * @return its result, once it committed, unless the call sent settings of its own; empty to start
     *     over (the lease went without a commit, or the call compacts the new generation itself)
     * @throws DeadlineExceededException when it is still running at {@code deadline}
     */
    Optional<CompactionService.Result> await(String tenant, String conversationId, Snapshot read, Agent agent, CompactionLease held, boolean ownSettings,
                           Instant deadline, CompactionService.Call call) {
        for (int attempt = 1; ; attempt++) {
            Instant now = clock.instant();
            if (!now.isBefore(deadline)) {
                throw new DeadlineExceededException();
            }
            Duration wait = AWAIT.delay(attempt, ThreadLocalRandom.current());
            pause(wait.compareTo(Duration.between(now, deadline)) < 0 ? wait : Duration.between(now, deadline));
            ConversationHead head = store.findConversation(tenant, conversationId)
                    .orElseThrow(() -> new ConversationNotFoundException(conversationId));
            if (head.compactionGen() != held.generation()) {
                return ownSettings ? Optional.empty()
                        : Optional.of(theirs(tenant, conversationId, read, agent, head, held.generation(), held.holder().wire(), call));
            }
            CompactionLease lease = head.lease();
            if (lease == null || !lease.holds(held.generation(), clock.instant()) || !lease.holder().background()) {
                return Optional.empty();
            }
        }
    }

    /**
     * The answer to a call whose lease found the conversation one generation past what it read: a
     * compaction committed between its read and its lease, and this call, which called no model,
     * answers with that one as if it had waited for it. Its trigger is the one the commit recorded
     * ({@code due}, {@code schedule}, or {@code manual}: another client's), {@value #UNKNOWN_TRIGGER}
     * for a commit written before triggers were recorded.
     *
     * @throws ConcurrentCompactionException when the conversation moved on otherwise (a revert, or more than one commit)
     */
    CompactionService.Result committedMeanwhile(String tenant, String conversationId, Snapshot read, Agent agent, long readGeneration,
                                                CompactionService.Call call) {
        ConversationHead head = store.findConversation(tenant, conversationId)
                .orElseThrow(() -> new ConversationNotFoundException(conversationId));
        return theirs(tenant, conversationId, read, agent, head, readGeneration, UNKNOWN_TRIGGER, call);
    }

    /**
     * The answer to a call from the background compaction it waited for: that compaction's summary
     * and report, the message counts as that compaction applied to the context this call read, and
     * the call's usage (nothing used), key, job and SDK answer recorded without another commit.
     *
     * @param unrecordedTrigger the answer's trigger when the commit recorded none
     * @throws ConcurrentCompactionException when the conversation moved on otherwise (a revert, or more than one commit)
     */
    private CompactionService.Result theirs(String tenant, String conversationId, Snapshot read, Agent agent, ConversationHead head,
                                            long readGeneration, String unrecordedTrigger, CompactionService.Call call) {
        long generation = readGeneration + 1;
        SummaryRecord record = head.compactionGen() != generation ? null
                : store.summaryRecord(tenant, conversationId, generation).filter(r -> r.details() != null).orElse(null);
        if (record == null) {
            throw new ConcurrentCompactionException(conversationId);
        }
        int kept = (int) read.tail().stream().filter(m -> m.seq() >= record.keptFromSeq()).count();
        CompactionService.Result result = new CompactionService.Result(record.summary(), read.inContext().size(), 2 + kept,
                new Reported.Committed(record.details(), generation, conversationId,
                        record.trigger() != null ? record.trigger() : unrecordedTrigger));
        if (call != null) {
            Commit answered = new Commit(readGeneration, record, record.keptFromSeq(), 0, head.contextTokens(), agent);
            store.answer(tenant, conversationId, CallRecords.answering(answered, tenant, call, result,
                    CallRecords.usage(tenant, call, conversationId, record.details(), clock.instant(), false)));
        }
        return result;
    }

    private static void pause(Duration wait) {
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a background compaction", e);
        }
    }
}
