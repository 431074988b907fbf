package dev.compactor.llm;

/**
 * What a model answered, before the checks every provider shares.
 *
 * @param text the answer's text parts joined (reasoning left out)
 * @param stop why generation ended
 */
public record ModelReply(String text, Stop stop, TokenUsage usage) {
    /** Why the model stopped, in provider-neutral terms. */
    public enum Stop {
        /** It finished its answer. */
        COMPLETE,
        /** It hit the output-token limit: the summary is cut off. */
        MAX_TOKENS,
        /** A safety filter or guardrail stopped it. */
        FILTERED
    }
}
