package dev.compactor.conversation;

import java.time.Instant;

/**
 * A committed summary with its lineage. Summaries are never overwritten: each compaction adds one
 * generation whose {@code parentGeneration} is the summary it replaced.
 *
 * @param messageId id of the summary message as it appears in the context
 * @param packedText the stored message text (Letta's packed {@code system_alert} JSON)
 * @param summary the summary text itself (what the compact response returns)
 * @param coveredFromSeq first conversation message folded into this summary (history before it is
 *     covered by the parent)
 * @param coveredToSeq last conversation message folded into this summary
 * @param keptFromSeq first message left in context after the summary
 * @param source {@code llm} or {@code extractive}
 * @param details what the compaction reported (usage, fallbacks, quality gates), or null when nothing was recorded
 * @param trigger who ran the compaction, as its event names it: {@code manual} (a client's request or job),
 *     {@code due} (the due stream) or {@code schedule} (discovery); null for a record committed before
 *     triggers were recorded
 */
public record SummaryRecord(
        long generation,
        long parentGeneration,
        String messageId,
        String packedText,
        String summary,
        long coveredFromSeq,
        long coveredToSeq,
        long keptFromSeq,
        String modeRequested,
        String modeUsed,
        String model,
        String source,
        String promptHash,
        int tokens,
        Instant createdAt,
        CompactionReport details,
        String trigger) {}
