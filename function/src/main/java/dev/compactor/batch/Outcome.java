package dev.compactor.batch;

/**
 * What became of one unit of scheduled work. A skipped conversation needed no compaction (it moved
 * on or had nothing to compact); a failed one goes back to the queue.
 *
 * @param conversationId null when the message named none readable
 * @param reason why it was skipped or failed; null when compacted
 */
public record Outcome(Kind kind, String conversationId, String reason, long tokensBefore, long tokensAfter) {
    public enum Kind { COMPACTED, SKIPPED, FAILED }

    static Outcome compacted(String conversationId, long tokensBefore, long tokensAfter) {
        return new Outcome(Kind.COMPACTED, conversationId, null, tokensBefore, tokensAfter);
    }

    static Outcome skipped(String conversationId, String reason) {
        return new Outcome(Kind.SKIPPED, conversationId, reason, 0, 0);
    }

    static Outcome failed(String conversationId, String reason) {
        return new Outcome(Kind.FAILED, conversationId, reason, 0, 0);
    }
}
