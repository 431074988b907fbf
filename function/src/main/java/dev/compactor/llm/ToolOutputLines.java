package dev.compactor.llm;

import dev.compactor.text.CodePoints;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The lines of a tool output that matter: errors, exceptions, failed tests and their causes, found
 * wherever they are in a long log rather than at its top. Routine lines (INFO, DEBUG, successful
 * requests, "no errors") and stack frames are skipped; a line repeated verbatim is kept once with
 * its count. One pass over the output.
 */
final class ToolOutputLines {
    /** Most lines kept from one output; the first ones found, as later repeats usually follow from them. */
    static final int MAX_LINES = 6;
    private static final int MAX_LINE_CHARS = 300;

    private static final Pattern FRAME = Pattern.compile("^\\s+(at |\\.\\.\\. \\d+ more|File \")");

    private ToolOutputLines() {}

    /** One kept line of an output, how many times it occurred, and whether it reports a failure (not just a warning). */
    record Kept(String text, int count, boolean failure, int position) {}

    /**
     * @param failed whether the tool reported failure (its first line is then kept even if it says nothing alarming)
     * @return the salient lines in output order, failures before warnings when there are more than
     *     {@link #MAX_LINES}; empty when the output is routine
     */
    static List<Kept> salient(String output, boolean failed) {
        Map<String, Kept> failures = new LinkedHashMap<>();
        Map<String, Kept> warnings = new LinkedHashMap<>();
        int start = 0;
        int n = output.length();
        int position = 0;
        while (start <= n) {
            int end = output.indexOf('\n', start);
            if (end < 0) {
                end = n;
            }
            String line = output.substring(start, end);
            start = end + 1;
            if (line.isBlank() || FRAME.matcher(line).find()) {
                continue;
            }
            int cues = Cues.of(line);
            boolean failure = Cues.reportsFailure(cues) || (failed && position == 0);
            boolean warning = !failure && Cues.has(cues, Cues.WARNING) && !Cues.has(cues, Cues.ROUTINE);
            position++;
            if (failure || warning) {
                String text = clip(line.strip());
                Map<String, Kept> into = failure ? failures : warnings;
                Kept seen = into.get(text);
                if (seen != null) {
                    into.put(text, new Kept(text, seen.count() + 1, failure, seen.position()));
                } else if (into.size() < MAX_LINES) {
                    into.put(text, new Kept(text, 1, failure, position));
                }
            }
        }
        List<Kept> out = new ArrayList<>(failures.values());
        for (Kept w : warnings.values()) {
            if (out.size() >= MAX_LINES) {
                break;
            }
            out.add(w);
        }
        out.sort(Comparator.comparingInt(Kept::position));
        return out;
    }

    private static String clip(String line) {
        if (line.length() <= MAX_LINE_CHARS) {
            return line;
        }
        return CodePoints.prefix(line, MAX_LINE_CHARS) + " …";
    }
}
