package dev.compactor.llm;

import java.util.List;

/**
 * The offline summarizer ({@code local/extractive}): deterministic, no network, linear in the span.
 *
 * <p>What it keeps, most important first: the latest request; errors, exceptions and failed tests
 * with their causes (the lines that matter anywhere in a long tool output); decisions in their
 * latest state, where a later correction, change of plan or cancellation supersedes the earlier
 * claim and the summary lists that claim as superseded; open questions; then earlier requests,
 * warnings and tool outcomes. Routine chatter and repeated lines are dropped. Every identifier of
 * the span ({@link dev.compactor.text.Identifiers}) not already quoted in those lines goes into a verbatim list while
 * room lasts: those said in the conversation before those only a tool printed, then the most
 * frequent, then the shortest (on a tight budget, the most identifiers that fit).
 *
 * <p>Size: the narrative stays within the mode's word limit; the whole summary costs at most half
 * of what the span costs in the token estimate's unit less the summary message's packaging (see
 * {@link #budget}), never more, and stays within {@code clip_chars}.
 */
public final class ExtractiveSummarizer implements Summarizer {
    public static final ModelHandle HANDLE = new ModelHandle("local", "extractive");

    /** The sliding-window prompt's limit, for a request that names none. */
    private static final int DEFAULT_WORD_LIMIT = 300;
    /** What the summary message's wrapper (system_alert JSON, preamble, stats) costs in the estimate's unit. */
    static final int PACKAGING_COST = 600;
    /** The least a summary gets when half the span cannot pay for its packaging: a line or two. */
    static final int MIN_BUDGET = 240;
    /** What the estimate counts for a message besides its text (its JSON keys and role), at the least. */
    static final int MESSAGE_COST = 30;
    /** The same for a tool call (its id, type and function keys). */
    static final int CALL_COST = 60;

    @Override
    public SummaryResult summarize(SummaryRequest request) {
        // Nothing here can honour model_settings: the settings judge names them as not applied.
        long started = System.nanoTime();
        List<ChatMessage> span = request.span();
        int wordLimit = request.wordLimit() > 0 ? request.wordLimit() : DEFAULT_WORD_LIMIT;
        long budget = budget(span, request.clipChars());
        String text = new ExtractiveLayout(new ExtractiveReading(span), budget, wordLimit).render(request.clipChars());
        long latency = (System.nanoTime() - started) / 1_000_000;
        return new SummaryResult(text, SummaryResult.EXTRACTIVE, HANDLE, TokenUsage.NONE, latency);
    }

    /**
     * What the summary may cost, in {@link #summaryCost} units: half of what the span costs less the
     * packaging, so the stored summary message takes at most half the tokens it replaces; never
     * more code points than {@code clip_chars}. A span too short for that (under about 500 tokens,
     * where the packaging alone is half of it) gets {@link #MIN_BUDGET}, or half its cost if that is
     * less, so the summary text is still at most half of the span's.
     */
    static long budget(List<ChatMessage> span, Integer clipChars) {
        long spanCost = 0;
        for (ChatMessage m : span) {
            if (!"system".equals(m.role())) {
                spanCost += MESSAGE_COST + spanCost(m.text());
                for (ChatMessage.Call call : m.toolCalls()) {
                    spanCost += CALL_COST + spanCost(call.name()) + spanCost(call.arguments());
                }
            }
        }
        long half = spanCost / 2 - PACKAGING_COST;
        long budget = half >= MIN_BUDGET ? half : Math.min(MIN_BUDGET, spanCost / 2);
        return clipChars == null ? budget : Math.min(budget, clipChars);
    }

    /**
     * A span's text as the token estimate sees it: JSON-escaped with non-ASCII as {@code \\uXXXX}.
     */
    static long spanCost(String text) {
        if (text == null) {
            return 0;
        }
        long cost = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            cost += c >= 0x80 ? 6 : c == '\n' || c == '"' || c == '\\' || c < 0x20 ? 2 : 1;
        }
        return cost;
    }

    /** The summary's text as the estimate sees it once packed: escaped twice, so escapes cost more. */
    static long summaryCost(String text) {
        long cost = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            cost += c >= 0x80 ? 6 : c == '\n' ? 3 : c == '"' || c == '\\' ? 4 : c < 0x20 ? 7 : 1;
        }
        return cost;
    }
}
