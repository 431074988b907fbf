package dev.compactor.local.eval;

import java.util.List;
import java.util.Locale;

/**
 * A scatter plot as an inline SVG: points in a few colour-coded series, linear axes with ticks,
 * a legend. Small on purpose: the report needs two of these and nothing else.
 */
final class SvgPlot {
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"};
    private static final int WIDTH = 640;
    private static final int HEIGHT = 400;
    private static final int LEFT = 70;
    private static final int RIGHT = 190;
    private static final int TOP = 40;
    private static final int BOTTOM = 60;

    /** A point; {@code emphasised} points (a series' mean) are drawn larger and outlined. */
    record Point(double x, double y, boolean emphasised, String title) {}

    record Series(String name, List<Point> points) {}

    private SvgPlot() {}

    /**
     * @param logX draw x on a log10 scale (latencies span orders of magnitude)
     */
    static String scatter(String title, String xLabel, String yLabel, List<Series> series, double xMin, double xMax, double yMin,
                          double yMax, boolean logX) {
        double x0 = logX ? Math.log10(Math.max(xMin, 1e-9)) : xMin;
        double x1 = logX ? Math.log10(Math.max(xMax, xMin * 10)) : xMax;
        if (x1 <= x0) {
            x1 = x0 + 1;
        }
        if (yMax <= yMin) {
            yMax = yMin + 1;
        }
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"14\" font-weight=\"bold\">%s</text>%n", LEFT, esc(title)));
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>%n", LEFT, TOP,
                plotW, plotH));
        for (int i = 0; i <= 4; i++) {
            double fx = i / 4.0;
            double vx = x0 + fx * (x1 - x0);
            int px = LEFT + (int) Math.round(fx * plotW);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#eee\"/>%n", px, TOP, px, TOP + plotH));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", px, TOP + plotH + 16,
                    tick(logX ? Math.pow(10, vx) : vx)));
            double vy = yMin + fx * (yMax - yMin);
            int py = TOP + plotH - (int) Math.round(fx * plotH);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#eee\"/>%n", LEFT, py, LEFT + plotW, py));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n", LEFT - 6, py + 4, tick(vy)));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", LEFT + plotW / 2, HEIGHT - 18,
                esc(xLabel)));
        svg.append(String.format(Locale.ROOT, "<text transform=\"translate(18 %d) rotate(-90)\" text-anchor=\"middle\">%s</text>%n",
                TOP + plotH / 2, esc(yLabel)));
        for (int s = 0; s < series.size(); s++) {
            String colour = COLOURS[s % COLOURS.length];
            for (Point p : series.get(s).points()) {
                double vx = logX ? Math.log10(Math.max(p.x(), Math.pow(10, x0))) : p.x();
                double fx = clamp((vx - x0) / (x1 - x0));
                double fy = clamp((p.y() - yMin) / (yMax - yMin));
                double px = LEFT + fx * plotW;
                double py = TOP + plotH - fy * plotH;
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%d\" fill=\"%s\" fill-opacity=\"%s\"%s><title>%s</title></circle>%n",
                        px, py, p.emphasised() ? 7 : 3, colour, p.emphasised() ? "1" : "0.45",
                        p.emphasised() ? " stroke=\"black\" stroke-width=\"1.5\"" : "", esc(p.title())));
            }
            int ly = TOP + 10 + s * 20;
            svg.append(String.format(Locale.ROOT, "<circle cx=\"%d\" cy=\"%d\" r=\"6\" fill=\"%s\"/>%n", WIDTH - RIGHT + 16, ly, colour));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", WIDTH - RIGHT + 28, ly + 4,
                    esc(shorten(series.get(s).name()))));
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static double clamp(double f) {
        return Math.max(0, Math.min(1, f));
    }

    private static String tick(double v) {
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        return a >= 100 ? String.format(Locale.ROOT, "%.0f", v) : a >= 1 ? String.format(Locale.ROOT, "%.1f", v)
                : a >= 0.01 ? String.format(Locale.ROOT, "%.2f", v) : String.format(Locale.ROOT, "%.1e", v);
    }

    private static String shorten(String name) {
        return name.length() <= 26 ? name : name.substring(0, 25) + "…";
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
