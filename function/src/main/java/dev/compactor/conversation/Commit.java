package dev.compactor.conversation;

/**
 * A compaction to commit: the new summary, where the kept tail starts, and the generation it was
 * planned against. It commits only if no other compaction committed since that generation.
 *
 * @param contextTokenDelta change of the context's token estimate (new summary minus the old
 *     summary and every evicted message); applied as an increment so appends made meanwhile keep
 *     their share
 * @param stillDue whether the conversation stays in the scheduled-compaction index afterwards
 */
public record Commit(long expectedGeneration, SummaryRecord summary, long keptFromSeq, long contextTokenDelta,
                     boolean stillDue) {}
