package dev.compactor.local.command;

import dev.compactor.batch.DiscoveryHandler;
import dev.compactor.batch.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a local batch run did: compacted (with tokens before and after), skipped and failed by
 * reason, with a few conversation ids per reason. Counts only, so it stays small however many
 * conversations run.
 */
public final class BatchReport {
    static final int EXAMPLES_PER_REASON = 3;

    private long compacted;
    private long tokensBefore;
    private long tokensAfter;
    private final Map<String, Reason> skipped = new TreeMap<>();
    private final Map<String, Reason> failed = new TreeMap<>();

    /** How many conversations gave this reason, and the first few of them. */
    static final class Reason {
        long count;
        final List<String> examples = new ArrayList<>();
    }

    public synchronized void add(Outcome outcome) {
        switch (outcome.kind()) {
            case COMPACTED -> {
                compacted++;
                tokensBefore += outcome.tokensBefore();
                tokensAfter += outcome.tokensAfter();
            }
            case SKIPPED -> count(skipped, outcome);
            case FAILED -> count(failed, outcome);
        }
    }

    private static void count(Map<String, Reason> reasons, Outcome outcome) {
        Reason reason = reasons.computeIfAbsent(outcome.reason(), r -> new Reason());
        reason.count++;
        if (outcome.conversationId() != null && reason.examples.size() < EXAMPLES_PER_REASON) {
            reason.examples.add(outcome.conversationId());
        }
    }

    public synchronized long compacted() {
        return compacted;
    }

    public synchronized long skipped() {
        return skipped.values().stream().mapToLong(r -> r.count).sum();
    }

    public synchronized long failed() {
        return failed.values().stream().mapToLong(r -> r.count).sum();
    }

    public synchronized long done() {
        return compacted + skipped() + failed();
    }

    public synchronized Map<String, Long> failedByReason() {
        Map<String, Long> counts = new TreeMap<>();
        failed.forEach((why, r) -> counts.put(why, r.count));
        return counts;
    }

    public synchronized Map<String, Long> skippedByReason() {
        Map<String, Long> counts = new TreeMap<>();
        skipped.forEach((why, r) -> counts.put(why, r.count));
        return counts;
    }

    /** The report as text: what discovery sent, one line per outcome, then one per reason. */
    synchronized String render(DiscoveryHandler.Sent discovery, double seconds) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("sent to the queue  %s (due %s, idle %s, queued long ago %s)%s%n", discovery.sent(),
                discovery.due(), discovery.idle(), discovery.queued(),
                discovery.moreLeft() ? "; more are due than one run sends" : ""));
        out.append(String.format("compacted          %d   tokens %,d -> %,d%n", compacted, tokensBefore, tokensAfter));
        out.append(String.format("skipped            %d%n", skipped()));
        reasons(out, skipped);
        out.append(String.format("failed             %d%n", failed()));
        reasons(out, failed);
        out.append(String.format("time               %.1f s%n", seconds));
        return out.toString();
    }

    private static void reasons(StringBuilder out, Map<String, Reason> reasons) {
        reasons.forEach((why, r) -> out.append(String.format("  %6d  %s%s%n", r.count, why,
                r.examples.isEmpty() ? "" : "  (" + String.join(", ", r.examples) + (r.count > r.examples.size() ? ", …" : "") + ")")));
    }
}
