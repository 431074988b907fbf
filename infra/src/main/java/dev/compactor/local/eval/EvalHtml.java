package dev.compactor.local.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The self-contained HTML report of {@code eval}: the table, two plots drawn inline, every compaction's figures. */
final class EvalHtml {
    private EvalHtml() {}

    /** Identifier retention against compression: one faint point per conversation, the mean outlined, per model and mode. */
    static String retentionPlot(List<EvalResult> results) {
        List<SvgPlot.Series> series = new ArrayList<>();
        double maxX = 0.6;
        for (Map.Entry<String, List<EvalResult>> e : bySeries(results).entrySet()) {
            List<SvgPlot.Point> points = new ArrayList<>();
            double sx = 0;
            double sy = 0;
            for (EvalResult r : e.getValue()) {
                points.add(new SvgPlot.Point(r.compression(), r.retention(), false,
                        r.conversation() + String.format(Locale.ROOT, ": retention %.3f, compression %.3f", r.retention(), r.compression())));
                sx += r.compression();
                sy += r.retention();
                maxX = Math.max(maxX, r.compression());
            }
            int n = e.getValue().size();
            points.add(new SvgPlot.Point(sx / n, sy / n, true, e.getKey() + String.format(Locale.ROOT, " mean: retention %.3f, compression %.3f",
                    sy / n, sx / n)));
            series.add(new SvgPlot.Series(e.getKey(), points));
        }
        return SvgPlot.scatter("Identifier retention vs compression", "summary tokens / replaced tokens (lower is shorter)",
                "identifiers kept verbatim", series, 0, Math.ceil(maxX * 10) / 10, 0, 1, false);
    }

    /** Cost per compaction against latency, per model and mode (unpriced models are left out). */
    static String costPlot(List<EvalResult> results) {
        List<SvgPlot.Series> series = new ArrayList<>();
        double minX = Double.MAX_VALUE;
        double maxX = 1;
        double maxY = 0;
        for (Map.Entry<String, List<EvalResult>> e : bySeries(results).entrySet()) {
            List<SvgPlot.Point> points = new ArrayList<>();
            double sx = 0;
            double sy = 0;
            int n = 0;
            for (EvalResult r : e.getValue()) {
                if (r.costUsd() == null) {
                    continue;
                }
                double x = Math.max(1, r.latencyMillis());
                points.add(new SvgPlot.Point(x, r.costUsd(), false,
                        r.conversation() + String.format(Locale.ROOT, ": %d ms, $%.6f", r.latencyMillis(), r.costUsd())));
                sx += x;
                sy += r.costUsd();
                n++;
                minX = Math.min(minX, x);
                maxX = Math.max(maxX, x);
                maxY = Math.max(maxY, r.costUsd());
            }
            if (n > 0) {
                points.add(new SvgPlot.Point(sx / n, sy / n, true, e.getKey() + String.format(Locale.ROOT, " mean: %.0f ms, $%.6f", sx / n, sy / n)));
                series.add(new SvgPlot.Series(e.getKey(), points));
            }
        }
        double y1 = maxY == 0 ? 0.001 : maxY * 1.1;
        return SvgPlot.scatter("Cost vs latency per compaction", "latency, ms (log scale)", "estimated cost, USD", series,
                minX == Double.MAX_VALUE ? 1 : Math.max(1, minX / 2), maxX * 2, 0, y1, true);
    }

    static String render(String dataName, int conversations, List<EvalResult> results, List<ModelScore> scores, String spanTiming) {
        StringBuilder html = new StringBuilder();
        html.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Summarizer evaluation</title>\n<style>")
                .append("body{font-family:sans-serif;margin:2em;max-width:1200px}table{border-collapse:collapse;font-size:13px}")
                .append("td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}td.l,th.l{text-align:left}")
                .append(".plots{display:flex;flex-wrap:wrap;gap:1em}details{margin:.3em 0}pre{white-space:pre-wrap;font-size:12px}")
                .append("</style></head><body>\n");
        html.append("<h1>Summarizer evaluation</h1>\n<p>").append(SvgPlot.esc(dataName)).append(": ").append(conversations)
                .append(" conversations, ").append(results.size()).append(" compactions. Identifiers are counted with the "
                        + "definition the <code>identifier_retention</code> gate uses.</p>\n");
        if (spanTiming != null) {
            html.append("<p>").append(SvgPlot.esc(spanTiming)).append("</p>\n");
        }
        html.append("<h2>Per model</h2>\n<table><tr><th class=l>model</th><th class=l>mode</th><th>runs</th><th>failed</th>")
                .append("<th>retention</th><th>min retention</th><th>compression</th><th>max compression</th><th>p50 ms</th>")
                .append("<th>p95 ms</th><th>cost USD</th><th>gate issues</th><th>fallbacks</th><th>current kept</th><th>stale as current</th></tr>\n");
        for (ModelScore s : scores) {
            html.append(String.format(Locale.ROOT, "<tr><td class=l>%s</td><td class=l>%s</td><td>%d</td><td>%d</td><td>%.3f</td><td>%.3f</td>"
                            + "<td>%.3f</td><td>%.3f</td><td>%d</td><td>%d</td><td>%s</td><td>%d</td><td>%d</td><td>%.3f</td><td>%d</td></tr>%n",
                    SvgPlot.esc(s.model()), s.mode(), s.runs(), s.failures(), s.retention(), s.minRetention(), s.compression(),
                    s.maxCompression(), s.p50Millis(), s.p95Millis(), s.costUsd() == null ? "unpriced"
                            : String.format(Locale.ROOT, "%.6f", s.costUsd()), s.gateIssues(), s.fallbacks(), s.currentKept(),
                    s.supersededAsCurrent()));
        }
        html.append("</table>\n<h2>Plots</h2>\n<div class=plots>\n").append(retentionPlot(results)).append(costPlot(results)).append("</div>\n");
        html.append("<h2>Every compaction</h2>\n<table><tr><th class=l>conversation</th><th class=l>domain</th><th class=l>model</th>")
                .append("<th class=l>mode (used)</th><th>identifiers</th><th>kept</th><th class=l>missing (first ten)</th><th>compression</th>")
                .append("<th>ms</th><th class=l>gates</th><th class=l>fallbacks / error</th><th class=l>summary</th></tr>\n");
        for (EvalResult r : results) {
            html.append("<tr><td class=l>").append(SvgPlot.esc(r.conversation())).append("</td><td class=l>").append(SvgPlot.esc(r.domain()))
                    .append("</td><td class=l>").append(SvgPlot.esc(r.model())).append("</td><td class=l>").append(r.mode())
                    .append(r.modeUsed() != null && !r.modeUsed().equals(r.mode()) ? " (" + r.modeUsed() + ")" : "")
                    .append(String.format(Locale.ROOT, "</td><td>%d</td><td>%d</td>", r.found(), r.kept()))
                    .append("<td class=l>").append(SvgPlot.esc(String.join(" · ", r.missing()))).append("</td>")
                    .append(String.format(Locale.ROOT, "<td>%.3f</td><td>%d</td>", r.compression(), r.latencyMillis()))
                    .append("<td class=l>").append(SvgPlot.esc(String.join(", ", r.gateProblems()))).append("</td><td class=l>")
                    .append(SvgPlot.esc(r.ok() ? String.join("; ", r.fallbacks()) : r.error())).append("</td><td class=l><details><summary>")
                    .append(r.summary().length()).append(" chars</summary><pre>").append(SvgPlot.esc(r.summary())).append("</pre></details></td></tr>\n");
        }
        html.append("</table>\n</body></html>\n");
        return html.toString();
    }

    private static Map<String, List<EvalResult>> bySeries(List<EvalResult> results) {
        Map<String, List<EvalResult>> out = new LinkedHashMap<>();
        for (EvalResult r : results) {
            if (r.ok()) {
                out.computeIfAbsent(r.model() + " · " + r.mode(), k -> new ArrayList<>()).add(r);
            }
        }
        return out;
    }
}
