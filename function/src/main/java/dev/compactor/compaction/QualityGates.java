package dev.compactor.compaction;

import dev.compactor.conversation.CompactionReport;
import dev.compactor.conversation.CompactionReport.Gates;
import dev.compactor.conversation.CompactionReport.IdentifierRetention;
import dev.compactor.conversation.CompactionReport.NonEmpty;
import dev.compactor.conversation.CompactionReport.NotTruncated;
import dev.compactor.conversation.CompactionReport.Shorter;
import dev.compactor.conversation.CompactionReport.ToolIntegrity;
import dev.compactor.text.Identifiers;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.Role;
import dev.compactor.llm.ChatMessage;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a summary (and the context it leaves) before anything is committed. Each gate reports
 * {@code pass}, {@code warn} (failed, but not enforced) or {@code fail} (enforced: the summary is
 * rejected, which counts as a failed attempt, so Letta's mode fallbacks still apply).
 *
 * <ul>
 *   <li>{@code non_empty}: empty or whitespace summaries are rejected before the gates run (an
 *       {@code EMPTY_OUTPUT} model error); reported here as passed.
 *   <li>{@code not_truncated}: summaries the provider cut at its output-token limit are rejected by
 *       the provider adapter ({@code TRUNCATED_OUTPUT}); reported here, with whether our own
 *       {@code clip_chars} shortened the text.
 *   <li>{@code shorter}: the summary message must take fewer tokens than the messages it replaces.
 *       Enforced only when those messages are clearly longer than a summary within the prompt's
 *       word limit could be ({@code 2 × word limit + 100} tokens); below that a faithful summary of
 *       a few short turns may legitimately be longer than them.
 *   <li>{@code identifier_retention}: the share of identifiers of the replaced messages (ids,
 *       paths, URLs, numbers) found verbatim in the summary; enforced only when a minimum is
 *       configured ({@code QUALITY_MIN_IDENTIFIER_RETENTION}).
 *   <li>{@code tool_integrity}: in the new context no tool result is without its call, no pending
 *       approval request was summarised away, and no call still waiting for its result was.
 *       Checked on the plan before the model is called.
 * </ul>
 */
public final class QualityGates {
    public static final String PASS = CompactionReport.Gate.PASS;
    public static final String WARN = CompactionReport.Gate.WARN;
    public static final String FAIL = CompactionReport.Gate.FAIL;
    /** How many missing identifiers a report lists. */
    static final int MISSING_SHOWN = 10;
    /** Identifiers checked against the summary at most (each check is a substring search). */
    static final int IDENTIFIERS_CHECKED = 5000;

    private final Double minIdentifierRetention;

    /** @param minIdentifierRetention reject summaries keeping fewer identifiers than this share; null for off */
    public QualityGates(Double minIdentifierRetention) {
        if (minIdentifierRetention != null && !(minIdentifierRetention >= 0 && minIdentifierRetention <= 1)) {
            throw new IllegalArgumentException("minimum identifier retention must be in [0, 1], got " + minIdentifierRetention);
        }
        this.minIdentifierRetention = minIdentifierRetention;
    }

    public static QualityGates off() {
        return new QualityGates(null);
    }

    public Double minIdentifierRetention() {
        return minIdentifierRetention;
    }

    /**
     * Tool integrity of the context a plan leaves: {@code system + summary + kept}.
     *
     * @return the gate; {@code fail} when a kept tool result's call is summarised away, the pending
     *     approval request at the end is not kept, or a call still waiting for its result is
     *     summarised away
     */
    static ToolIntegrity toolIntegrity(Plan plan) {
        List<Message> context = plan.context();
        int n = context.size();
        int keptFrom = plan.keptFrom();
        Planner.ToolIndex index = Planner.ToolIndex.of(context);
        int orphaned = 0;
        int keptResults = 0;
        for (int i = keptFrom; i < n; i++) {
            for (String id : Planner.resultIds(context.get(i))) {
                keptResults++;
                Integer at = index.callIndex(id);
                if (at != null && at >= 1 && at < keptFrom) {
                    orphaned++;
                }
            }
        }
        boolean pendingApproval = n >= 2 && context.get(n - 1).isApprovalRequest();
        boolean pendingKept = !pendingApproval || keptFrom <= n - 1;
        int trailing = n;
        for (int i = n - 1; i >= 1; i--) {
            trailing = i;
            Role r = context.get(i).role();
            if (r != Role.TOOL && r != Role.APPROVAL) {
                break;
            }
        }
        int openSummarised = 0;
        for (int i = Math.max(1, trailing); i < keptFrom && i < n; i++) {
            if (index.hasOpenCall(context.get(i))) {
                openSummarised++;
            }
        }
        boolean ok = orphaned == 0 && pendingKept && openSummarised == 0;
        return new ToolIntegrity(ok ? PASS : FAIL, keptResults, orphaned, pendingApproval ? pendingKept : null, openSummarised);
    }

    /**
     * Every gate for a summary of {@code plan}.
     *
     * @param summary the summary text as it will be stored (after clipping)
     * @param clipped whether {@code clip_chars} shortened it
     * @param summaryTokens the packed summary message in the plan's token unit
     * @param integrity the tool-integrity gate computed on the plan
     */
    Gates evaluate(Plan plan, String summary, boolean clipped, long summaryTokens, ToolIntegrity integrity) {
        return Gates.of(new NonEmpty(summary.isBlank() ? FAIL : PASS), new NotTruncated(PASS, clipped),
                shorter(plan, summaryTokens), identifierRetention(plan, summary), integrity);
    }

    static Shorter shorter(Plan plan, long summaryTokens) {
        long replaced = plan.tokensReplaced();
        long enforceAbove = 2L * plan.mode().wordLimit() + 100;
        boolean ok = summaryTokens < replaced;
        boolean enforced = replaced > enforceAbove;
        return new Shorter(ok ? PASS : enforced ? FAIL : WARN, summaryTokens, replaced,
                replaced == 0 ? null : round((double) summaryTokens / replaced), enforced);
    }

    /**
     * Identifiers are collected from the newest replaced message backwards and at most
     * {@link #IDENTIFIERS_CHECKED} are checked, so the cost stays bounded on huge spans and the
     * ratio then speaks for the most recent identifiers.
     */
    IdentifierRetention identifierRetention(Plan plan, String summary) {
        Set<String> found = new LinkedHashSet<>();
        List<Message> replaced = plan.replaced();
        for (int i = replaced.size() - 1; i >= 0 && found.size() < IDENTIFIERS_CHECKED; i--) {
            Message m = replaced.get(i);
            if (LlmView.isSummarization(m)) {
                String text = LlmView.text(m.content());
                SummaryPackager.Unpacked earlier = SummaryPackager.unpack(text);
                Identifiers.collect(earlier == null ? text : earlier.summary(), found);
                continue;
            }
            for (ChatMessage turn : LlmView.convertAlone(m)) {
                Identifiers.collect(turn.text(), found);
                for (ChatMessage.Call call : turn.toolCalls()) {
                    Identifiers.collect(call.arguments(), found);
                }
            }
        }
        int checked = 0;
        int kept = 0;
        List<String> missing = new ArrayList<>();
        for (String id : found) {
            if (checked++ == IDENTIFIERS_CHECKED) {
                break;
            }
            if (summary.contains(id)) {
                kept++;
            } else if (missing.size() < MISSING_SHOWN) {
                missing.add(id);
            }
        }
        int total = Math.min(found.size(), IDENTIFIERS_CHECKED);
        double ratio = total == 0 ? 1.0 : (double) kept / total;
        String status = minIdentifierRetention == null || ratio >= minIdentifierRetention ? PASS : FAIL;
        return new IdentifierRetention(status, round(ratio), total, kept, minIdentifierRetention, minIdentifierRetention != null,
                missing);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
