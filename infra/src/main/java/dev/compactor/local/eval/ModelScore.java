package dev.compactor.local.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One model's figures in one requested mode over a conversation set.
 *
 * @param retention mean over conversations of the share of identifiers kept verbatim
 * @param minRetention the worst conversation's share
 * @param compression mean over conversations of summary tokens / replaced tokens
 * @param maxCompression the worst conversation's ratio
 * @param costUsd total estimated cost; null when a model has no listed price
 * @param gateIssues compactions where some gate warned or failed
 * @param fallbacks compactions that ran another mode than requested, or whose summary a stand-in wrote
 * @param currentKept share of the expected current facts the summaries state (1 when none expected)
 * @param supersededAsCurrent superseded facts stated as if current, summed over conversations
 */
public record ModelScore(String model, String mode, int runs, int failures, double retention, double minRetention, double compression,
                         double maxCompression, long p50Millis, long p95Millis, Double costUsd, int gateIssues, int fallbacks,
                         double currentKept, int supersededAsCurrent) {

    /** Scores per model and requested mode, in the order the results came. */
    public static List<ModelScore> of(List<EvalResult> results) {
        Map<String, List<EvalResult>> groups = new LinkedHashMap<>();
        for (EvalResult r : results) {
            groups.computeIfAbsent(r.model() + "\u0000" + r.mode(), k -> new ArrayList<>()).add(r);
        }
        List<ModelScore> out = new ArrayList<>();
        for (List<EvalResult> g : groups.values()) {
            out.add(score(g));
        }
        return out;
    }

    private static ModelScore score(List<EvalResult> g) {
        List<EvalResult> ok = g.stream().filter(EvalResult::ok).toList();
        double retention = ok.stream().mapToDouble(EvalResult::retention).average().orElse(0);
        double minRetention = ok.stream().mapToDouble(EvalResult::retention).min().orElse(0);
        double compression = ok.stream().mapToDouble(EvalResult::compression).average().orElse(0);
        double maxCompression = ok.stream().mapToDouble(EvalResult::compression).max().orElse(0);
        long[] latencies = g.stream().mapToLong(EvalResult::latencyMillis).sorted().toArray();
        Double cost = 0.0;
        for (EvalResult r : ok) {
            cost = cost == null || r.costUsd() == null ? null : cost + r.costUsd();
        }
        int gateIssues = (int) ok.stream().filter(r -> !r.gateProblems().isEmpty()).count();
        int fallbacks = (int) ok.stream().filter(r -> !r.fallbacks().isEmpty() || !r.model().equals(r.servedBy())).count();
        int expected = ok.stream().mapToInt(EvalResult::currentExpected).sum();
        int kept = ok.stream().mapToInt(EvalResult::currentKept).sum();
        int asCurrent = ok.stream().mapToInt(EvalResult::supersededAsCurrent).sum();
        EvalResult first = g.get(0);
        return new ModelScore(first.model(), first.mode(), g.size(), g.size() - ok.size(), retention, minRetention, compression,
                maxCompression, percentile(latencies, 50), percentile(latencies, 95), cost, gateIssues, fallbacks,
                expected == 0 ? 1.0 : (double) kept / expected, asCurrent);
    }

    static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
