package dev.compactor.local.eval;

import java.util.List;
import java.util.Locale;

/** The per-model table printed at the end of {@code eval}. */
final class EvalTable {
    private EvalTable() {}

    static String render(List<ModelScore> scores) {
        StringBuilder out = new StringBuilder();
        String header = String.format(Locale.ROOT, "%-34s %-15s %5s %6s %9s %8s %11s %8s %8s %10s %6s %6s %8s %6s%n", "model", "mode", "runs",
                "failed", "retention", "min ret", "compression", "max comp", "p50 ms", "cost USD", "gates", "fallbk", "current",
                "stale");
        out.append(header);
        for (ModelScore s : scores) {
            out.append(String.format(Locale.ROOT, "%-34s %-15s %5d %6d %9.3f %8.3f %11.3f %8.3f %8d %10s %6d %6d %8.3f %6d%n",
                    s.model(), s.mode(), s.runs(), s.failures(), s.retention(), s.minRetention(), s.compression(), s.maxCompression(),
                    s.p50Millis(), s.costUsd() == null ? "unpriced" : String.format(Locale.ROOT, "%.4f", s.costUsd()), s.gateIssues(),
                    s.fallbacks(), s.currentKept(), s.supersededAsCurrent()));
        }
        out.append("""
                retention: identifiers of the replaced messages kept verbatim (mean; min over conversations)
                compression: summary tokens / replaced tokens (mean; max), approximate token unit
                gates: compactions where a quality gate warned or failed; fallbk: another mode ran, or a stand-in summarised
                current: expected latest-state facts stated; stale: superseded facts stated as if current
                """);
        return out.toString();
    }
}
