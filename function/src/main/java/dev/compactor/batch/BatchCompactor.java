package dev.compactor.batch;

import dev.compactor.compaction.CompactionService;
import dev.compactor.compaction.NothingToCompactException;
import dev.compactor.conversation.ConcurrentCompactionException;
import dev.compactor.conversation.ConversationStore;
import dev.compactor.conversation.DueConversation;
import dev.compactor.llm.LlmException;
import dev.compactor.runtime.Log;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Compacts every conversation in the due index, one after another, with each agent's stored
 * settings, until the work runs out or the deadline approaches.
 */
public final class BatchCompactor {
    /** Do not start a compaction with less time than this left. */
    static final Duration MIN_TIME_PER_CONVERSATION = Duration.ofSeconds(20);

    private final ConversationStore store;
    private final CompactionService compaction;
    private final Clock clock;

    public BatchCompactor(ConversationStore store, CompactionService compaction, Clock clock) {
        this.store = store;
        this.compaction = compaction;
        this.clock = clock;
    }

    public BatchReport run(int maxConversations, Instant deadline) {
        BatchReport report = new BatchReport();
        List<DueConversation> due = store.findDue(maxConversations);
        report.discovered(due.size());
        for (DueConversation d : due) {
            if (clock.instant().plus(MIN_TIME_PER_CONVERSATION).isAfter(deadline)) {
                report.skipped(d.conversationId(), "deadline: not enough time left in this run");
                continue;
            }
            try {
                CompactionService.Result r = compaction.compact(d.tenant(), CompactionService.Target.conversation(d.conversationId()),
                        null, "scheduled", deadline);
                report.compacted(d.conversationId(), ((Number) r.details().get("tokens_before")).longValue(),
                        ((Number) r.details().get("tokens_after")).longValue());
            } catch (NothingToCompactException e) {
                report.skipped(d.conversationId(), "nothing to compact");
            } catch (ConcurrentCompactionException e) {
                report.skipped(d.conversationId(), "compacted by another request meanwhile");
            } catch (LlmException e) {
                report.failed(d.conversationId(), e.kind() + ": " + e.getMessage());
            } catch (RuntimeException e) {
                Log.error("batch.failure", "conversation_id", d.conversationId(), "error", e.getClass().getName());
                report.failed(d.conversationId(), "internal error: " + e.getClass().getSimpleName());
            }
        }
        return report;
    }
}
