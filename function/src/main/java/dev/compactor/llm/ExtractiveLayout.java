package dev.compactor.llm;

import static dev.compactor.llm.ExtractiveSummarizer.summaryCost;
import static dev.compactor.llm.ExtractiveText.wordCount;

import dev.compactor.llm.ExtractiveNote.Section;
import dev.compactor.text.CodePoints;
import dev.compactor.text.Identifiers;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Chooses the extractive summary's lines within its budget and the narrative's word limit, and
 * prints them: what has been chosen so far and what it costs.
 */
final class ExtractiveLayout {
    private static final String IDENTIFIERS_TITLE = "Identifiers (verbatim): ";
    private static final Pattern ID_PARTS = Pattern.compile("[-_./:, @]+");

    private final ExtractiveReading reading;
    private final long budget;
    private final int wordLimit;
    private final List<ExtractiveNote> chosen = new ArrayList<>();
    private final Set<Section> opened = new HashSet<>();
    private long cost;
    private int words;

    ExtractiveLayout(ExtractiveReading reading, long budget, int wordLimit) {
        this.reading = reading;
        this.budget = budget;
        this.wordLimit = wordLimit;
    }

    private void offer(ExtractiveNote n) {
        Section section = n.shownIn();
        String line = n.line();
        boolean titled = opened.contains(section);
        long lineCost = summaryCost("- " + line + "\n") + (titled ? 0 : summaryCost(section.title + ":\n"));
        int lineWords = wordCount(line) + 1 + (titled ? 0 : wordCount(section.title));
        if (cost + lineCost <= budget && words + lineWords <= wordLimit) {
            cost += lineCost;
            words += lineWords;
            opened.add(section);
            chosen.add(n);
        }
    }

    private long room() {
        return budget - cost;
    }

    /** Identifiers cost budget, not narrative: their words do not count against the word limit. */
    private void take(long extraCost) {
        cost += extraCost;
    }

    /**
     * Picks lines in three rounds: the essential ones by priority (the latest request, errors
     * and causes, decisions, open questions; newest first within a priority) while the
     * narrative stays within the word limit and the summary within its budget; then the
     * identifiers those lines do not quote; then the remaining lines while room lasts. Prints
     * the lines by section in conversation order, the identifiers last.
     */
    String render(Integer clipChars) {
        List<ExtractiveNote> ranked = new ArrayList<>(reading.notes());
        ranked.sort(Comparator.comparingInt(ExtractiveNote::rank).thenComparing(Comparator.comparingInt((ExtractiveNote n) -> n.order).reversed()));
        for (ExtractiveNote n : ranked) {
            if (n.rank() <= ExtractiveNote.ESSENTIAL) {
                offer(n);
            }
        }
        List<String> ids = identifiers(format(chosen));
        for (ExtractiveNote n : ranked) {
            if (n.rank() > ExtractiveNote.ESSENTIAL) {
                offer(n);
            }
        }
        String prose = format(chosen);
        // lines chosen after the identifiers may quote some of them already
        List<String> unquoted = ids.stream().filter(id -> !prose.contains(id)).toList();
        StringBuilder out = new StringBuilder(prose);
        if (!unquoted.isEmpty()) {
            out.append(IDENTIFIERS_TITLE).append(joinIdentifiers(unquoted)).append('\n');
        }
        String text = out.toString().strip();
        if (text.isEmpty()) {
            text = fallback();
        }
        return clipChars == null ? text : CodePoints.prefix(text, clipChars);
    }

    private static String format(List<ExtractiveNote> chosen) {
        List<ExtractiveNote> inOrder = new ArrayList<>(chosen);
        inOrder.sort(Comparator.comparingInt(n -> n.order));
        StringBuilder out = new StringBuilder();
        for (Section section : Section.values()) {
            boolean titled = false;
            for (ExtractiveNote n : inOrder) {
                if (n.shownIn() != section) {
                    continue;
                }
                if (!titled) {
                    out.append(section.title).append(":\n");
                    titled = true;
                }
                out.append("- ").append(n.line()).append('\n');
            }
        }
        return out.toString();
    }

    /**
     * The identifiers the chosen lines do not quote, those a user or the assistant said before
     * those only a tool printed, then the most frequent, then the shortest, then the latest, while they fit
     * the selection's budget (which they then take); listed in order of first appearance.
     * Those only superseded lines mention are left out unless their line is shown, so an
     * outdated figure never reads as current.
     */
    private List<String> identifiers(String prose) {
        long titleCost = summaryCost(IDENTIFIERS_TITLE) + 1;
        if (room() <= titleCost) {
            return List.of();
        }
        Set<String> outdated = new HashSet<>();
        Set<ExtractiveNote> shown = new HashSet<>(chosen);
        for (ExtractiveNote n : reading.notes()) {
            if (n.supersededBy != null && !shown.contains(n)) {
                outdated.addAll(Identifiers.in(n.text));
            }
        }
        List<Map.Entry<String, int[]>> candidates = new ArrayList<>();
        int position = 0;
        Map<String, Integer> firstSeen = new HashMap<>();
        for (Map.Entry<String, int[]> e : reading.identifiers().entrySet()) {
            firstSeen.put(e.getKey(), position++);
            if (!outdated.contains(e.getKey()) && !prose.contains(e.getKey())) {
                candidates.add(e);
            }
        }
        candidates.sort(Comparator.comparingInt((Map.Entry<String, int[]> e) -> -e.getValue()[2])
                .thenComparingInt(e -> -e.getValue()[0]).thenComparingInt(e -> e.getKey().length())
                .thenComparingInt(e -> -e.getValue()[1]));
        // An identifier another one holds whole ("booking_worker" in "booking_worker.timeout_ms")
        // is listed through the shortest such one when that fits: one entry keeps both.
        Map<String, String> holder = new HashMap<>();
        for (Map.Entry<String, int[]> e : candidates) {
            String id = e.getKey();
            pieces(id, piece -> holder.merge(piece, id, (a, b) -> b.length() < a.length() ? b : a));
        }
        long room = room();
        long cost = titleCost;
        Set<String> covered = new HashSet<>();
        List<String> listed = new ArrayList<>();
        for (Map.Entry<String, int[]> e : candidates) {
            String id = e.getKey();
            String through = holder.get(id);
            for (String pick : through == null ? List.of(id) : List.of(through, id)) {
                if (covered.contains(id)) {
                    break;
                }
                // its separator, and the one after it if a comma must set it apart (see joinIdentifiers)
                long idCost = summaryCost(pick) + (spaced(pick) ? 3 : 1);
                if (covered.contains(pick) || cost + idCost > room) {
                    continue;
                }
                cost += idCost;
                listed.add(pick);
                covered.add(pick);
                pieces(pick, covered::add);
            }
        }
        if (listed.isEmpty()) {
            return List.of();
        }
        take(cost);
        listed.sort(Comparator.comparingInt(firstSeen::get));
        return listed;
    }

    /**
     * The parts of {@code id} between separators, and its prefixes and suffixes that end or
     * start at one (never {@code id} itself): what an identifier of its own inside it would be.
     */
    private static void pieces(String id, Consumer<String> into) {
        Matcher m = ID_PARTS.matcher(id);
        int partStart = 0;
        while (m.find()) {
            if (m.start() > 0) {
                into.accept(id.substring(0, m.start()));
                into.accept(id.substring(partStart, m.start()));
            }
            if (m.end() < id.length()) {
                into.accept(id.substring(m.end()));
            }
            partStart = m.end();
        }
    }

    /**
     * The list separated by spaces, the densest way to keep each identifier whole; by a comma
     * next to one that holds a space or comma itself ({@code 4,870 ms}), so it reads as one.
     */
    private static String joinIdentifiers(List<String> ids) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < ids.size(); i++) {
            if (i > 0) {
                out.append(spaced(ids.get(i)) || spaced(ids.get(i - 1)) ? ", " : " ");
            }
            out.append(ids.get(i));
        }
        return out.toString();
    }

    private static boolean spaced(String id) {
        return id.indexOf(' ') >= 0 || id.indexOf(',') >= 0;
    }

    /** When not even one line fits: the start of the most important line (the latest request), cut to the budget. */
    private String fallback() {
        ExtractiveNote latest = null;
        for (ExtractiveNote n : reading.notes()) {
            if (latest == null || n.rank() < latest.rank() || n.rank() == latest.rank() && n.order > latest.order) {
                latest = n;
            }
        }
        if (latest == null) {
            return "No conversation content to summarize.";
        }
        String text = latest.text;
        int end = Character.charCount(text.codePointAt(0));
        long cost = summaryCost(text.substring(0, end));
        while (end < text.length()) {
            int next = end + Character.charCount(text.codePointAt(end));
            cost += summaryCost(text.substring(end, next));
            if (cost > budget) {
                break;
            }
            end = next;
        }
        return text.substring(0, end).strip();
    }
}
