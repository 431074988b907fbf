package dev.compactor.batch;

import dev.compactor.compaction.CompactionInProgressException;
import dev.compactor.compaction.CompactionService;
import dev.compactor.compaction.ContextOverflowException;
import dev.compactor.compaction.NothingToCompactException;
import dev.compactor.compaction.PlanningException;
import dev.compactor.compaction.QualityGateException;
import dev.compactor.conversation.AgentNotFoundException;
import dev.compactor.conversation.CompactionReport;
import dev.compactor.conversation.ConcurrentCompactionException;
import dev.compactor.conversation.ConversationNotFoundException;
import dev.compactor.conversation.MessageTooLargeException;
import dev.compactor.llm.LlmException;
import dev.compactor.support.Log;
import java.time.Instant;
import java.util.Locale;

/**
 * Compacts the conversation a message names, with its agent's stored settings, only at the
 * generation discovery saw: a redelivered message, or one whose conversation was compacted or
 * reverted meanwhile, is skipped rather than compacted again.
 */
public final class BatchWorker {
    static final String TRIGGER = "scheduled";

    private final CompactionService compaction;

    public BatchWorker(CompactionService compaction) {
        this.compaction = compaction;
    }

    public Outcome compact(DueMessage message, Instant deadline) {
        String id = message.conversationId();
        try {
            CompactionReport report = compaction.compactAtGeneration(message.tenant(), id, message.generation(), TRIGGER,
                            message.trigger(), deadline)
                    .committed().report();
            return Outcome.compacted(id, report.tokensBefore(), report.tokensAfter());
        } catch (ConcurrentCompactionException e) {
            return Outcome.skipped(id, "moved on: compacted or reverted since it was queued");
        } catch (CompactionInProgressException e) {
            return Outcome.skipped(id, "in progress: a " + e.holder().wire() + " compaction of this generation is running");
        } catch (NothingToCompactException e) {
            return Outcome.skipped(id, "nothing to compact");
        } catch (ConversationNotFoundException | AgentNotFoundException e) {
            return Outcome.skipped(id, "no such conversation or agent");
        } catch (LlmException e) {
            return Outcome.failed(id, "model " + e.kind().name().toLowerCase(Locale.ROOT) + ": " + e.getMessage());
        } catch (QualityGateException | PlanningException | MessageTooLargeException | ContextOverflowException e) {
            return Outcome.failed(id, e.getMessage());
        } catch (RuntimeException e) {
            Log.error("batch.failure", "conversation_id", id, "error", e.getClass().getName());
            return Outcome.failed(id, "internal error: " + e.getClass().getSimpleName());
        }
    }
}
