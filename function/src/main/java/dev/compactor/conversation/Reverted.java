package dev.compactor.conversation;

/**
 * A committed revert.
 *
 * @param generation the conversation's new version (reverts are guarded and counted like compactions)
 * @param summaryGeneration the summary now in context, 0 for none
 * @param contextStartSeq the first message in context after the summary
 */
public record Reverted(long generation, long revertedGeneration, long summaryGeneration, long contextStartSeq) {}
