package dev.compactor.local.eval;

import dev.compactor.compaction.CompactionMode;
import dev.compactor.llm.ModelHandle;
import java.util.List;

/**
 * One compaction of one conversation with one model in one mode.
 *
 * @param modeUsed the mode that produced the summary (after Letta's fallbacks)
 * @param source {@code llm} or {@code extractive} (the extractive summarizer stood in)
 * @param servedBy the model that wrote the summary (a failover target may have)
 * @param ok false when the compaction failed outright ({@code error} says why)
 * @param found identifiers in the replaced messages, by the shared definition ({@link dev.compactor.text.Identifiers})
 * @param kept those found verbatim in the summary
 * @param replacedTokens the replaced messages, in the approximate token unit
 * @param summaryTokens the packed summary message, in the same unit
 * @param costUsd estimated cost of the call, null for a model without a listed price
 * @param gateProblems the gates that warned or failed ({@code shorter=warn}, …)
 * @param fallbacks the modes that failed before the one used, with why
 * @param currentExpected expected current facts found in the replaced messages (the others are not the summary's to state)
 */
public record EvalResult(String conversation, String domain, String model, String mode, String modeUsed, String source, String servedBy,
                         boolean ok, String error, int found, int kept, List<String> missing, long replacedTokens, long summaryTokens,
                         long latencyMillis, Double costUsd, List<String> gateProblems, List<String> fallbacks, int currentKept,
                         int currentExpected, int supersededAsCurrent, String summary) {
    public EvalResult {
        missing = missing == null ? List.of() : List.copyOf(missing);
        gateProblems = List.copyOf(gateProblems);
        fallbacks = List.copyOf(fallbacks);
    }

    static EvalResult failed(EvalConversation c, ModelHandle model, CompactionMode mode, long millis, String error) {
        return new EvalResult(c.id(), c.domain(), model.toString(), mode.wire(), null, null, null, false, error, 0, 0, List.of(), 0, 0,
                millis, null, List.of(), List.of(), 0, c.current().size(), 0, "");
    }

    /** Share of identifiers kept; 1 when there were none. */
    public double retention() {
        return found == 0 ? 1.0 : (double) kept / found;
    }

    /** Summary tokens over replaced tokens: 0.3 means the summary takes 30 % of what it replaced. */
    public double compression() {
        return replacedTokens == 0 ? 0 : (double) summaryTokens / replacedTokens;
    }
}
