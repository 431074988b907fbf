package dev.compactor.llm;

import dev.compactor.text.CodePoints;
import dev.compactor.text.Identifiers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The offline summarizer ({@code local/extractive}): deterministic, no network. It keeps what a
 * model summary must keep — the user's requests, what the assistant decided and did, tool
 * outcomes and errors, and identifiers verbatim (ids, paths, URLs, numbers) — within the mode's
 * word limit and the caller's character limit.
 */
public final class ExtractiveSummarizer implements Summarizer {
    public static final ModelHandle HANDLE = new ModelHandle("local", "extractive");

    private static final Pattern ERROR = Pattern.compile(
            "\\b(error|exception|traceback|failed|failure|denied|refused|timed? ?out|not found|invalid)\\b",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern DECISION = Pattern.compile(
            "\\b(decided|decide|will|plan|going to|chose|choose|switch(?:ed)? to|instead|agreed|next|should)\\b",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+|\\n+");
    private static final int MIN_WORDS = 60;
    /** The sliding-window prompt's limit, for a request that names none. */
    private static final int DEFAULT_WORD_LIMIT = 300;
    private static final double SPAN_SHARE = 0.35;
    private static final String PRIOR_SUMMARY_MARKER = "The following is a summary of the previous messages:";

    @Override
    public SummaryResult summarize(SummaryRequest request) {
        // Nothing here can honour model_settings, so any are a 422 rather than ignored.
        ModelSettings.forTarget(HANDLE, request.modelSettings());
        long started = System.nanoTime();
        List<Line> lines = new ArrayList<>();
        Set<String> identifiers = new LinkedHashSet<>();
        int order = 0;
        List<ChatMessage> span = request.span();
        Map<String, String> toolNames = new HashMap<>();
        for (ChatMessage m : span) {
            for (ChatMessage.Call call : m.toolCalls()) {
                toolNames.put(call.id(), call.name());
            }
        }
        int lastUser = -1;
        for (int i = 0; i < span.size(); i++) {
            if ("user".equals(span.get(i).role()) && !isPriorSummary(span.get(i).text())) {
                lastUser = i;
            }
        }
        for (int i = 0; i < span.size(); i++) {
            ChatMessage m = span.get(i);
            collectIdentifiers(m.text(), identifiers);
            for (ChatMessage.Call call : m.toolCalls()) {
                collectIdentifiers(call.arguments(), identifiers);
            }
            switch (m.role()) {
                case "user" -> {
                    if (isPriorSummary(m.text())) {
                        lines.add(new Line(Section.EARLIER, 2, order++, clipWords(priorSummary(m.text()), 60)));
                    } else if (!m.text().isBlank()) {
                        int priority = i == lastUser ? 1 : 4;
                        lines.add(new Line(Section.REQUESTS, priority, order++, clipWords(firstSentences(m.text(), 2), 40)));
                    }
                }
                case "assistant" -> {
                    String decision = decisionSentence(m.text());
                    if (decision != null) {
                        int priority = DECISION.matcher(decision).find() || !Identifiers.in(decision).isEmpty() ? 3 : 5;
                        lines.add(new Line(Section.ACTIONS, priority, order++, clipWords(decision, 30)));
                    }
                    for (ChatMessage.Call call : m.toolCalls()) {
                        lines.add(new Line(Section.ACTIONS, 6, order++,
                                "called " + call.name() + "(" + clipChars(call.arguments(), 80) + ")"));
                    }
                }
                case "tool" -> {
                    boolean failed = "error".equals(m.status()) || ERROR.matcher(m.text()).find();
                    String outcome = clipWords(firstSentences(m.text(), 1), 20);
                    String tool = toolNames.get(m.toolCallId());
                    if (tool != null && !outcome.isBlank()) {
                        outcome = tool + ": " + outcome;
                    }
                    if (!outcome.isBlank()) {
                        lines.add(new Line(failed ? Section.ERRORS : Section.OUTCOMES, failed ? 2 : 7, order++, outcome));
                    }
                }
                default -> {
                    // system turns describe the agent, not the conversation
                }
            }
        }
        String text = render(lines, new ArrayList<>(identifiers), wordBudget(span, request.wordLimit()), request.clipChars());
        long latency = (System.nanoTime() - started) / 1_000_000;
        return new SummaryResult(text, SummaryResult.EXTRACTIVE, HANDLE, TokenUsage.NONE, latency);
    }

    /**
     * A summary must be much shorter than what it replaces: about a third of the span's words,
     * never more than the mode's limit, and enough room for a few lines on a short span.
     */
    static int wordBudget(List<ChatMessage> span, int wordLimit) {
        int limit = wordLimit > 0 ? wordLimit : DEFAULT_WORD_LIMIT;
        long words = 0;
        for (ChatMessage m : span) {
            if (!"system".equals(m.role())) {
                words += wordCount(m.text());
                for (ChatMessage.Call call : m.toolCalls()) {
                    words += wordCount(call.arguments());
                }
            }
        }
        return (int) Math.min(limit, Math.max(MIN_WORDS, words * SPAN_SHARE));
    }

    private enum Section {
        EARLIER("Earlier context"),
        REQUESTS("User requests"),
        ACTIONS("Assistant decisions and actions"),
        OUTCOMES("Tool outcomes"),
        ERRORS("Errors"),
        IDENTIFIERS("Identifiers (verbatim)");

        final String title;

        Section(String title) {
            this.title = title;
        }
    }

    private record Line(Section section, int priority, int order, String text) {}

    /**
     * Picks lines by priority (latest request, errors and identifiers first), newest first within
     * a priority, until the word and character budgets are spent; then prints them by section in
     * conversation order.
     */
    private static String render(List<Line> lines, List<String> identifiers, int words, Integer clipChars) {
        int chars = clipChars == null ? Integer.MAX_VALUE : clipChars;
        // The same line said twice (a recurring error, say) is kept once, at its latest position.
        Map<String, Line> latest = new LinkedHashMap<>();
        for (Line line : lines) {
            latest.put(line.section() + "\u0000" + line.text(), line);
        }
        List<Line> ranked = new ArrayList<>(latest.values());
        ranked.sort(Comparator.comparingInt(Line::priority).thenComparing(Comparator.comparingInt(Line::order).reversed()));
        List<Line> chosen = new ArrayList<>();
        List<String> keptIds = new ArrayList<>();
        boolean idsPlaced = false;
        for (Line line : ranked) {
            if (!idsPlaced && line.priority() > 2) {
                placeIdentifiers(identifiers, chosen, keptIds, words, chars);
                idsPlaced = true;
            }
            chosen.add(line);
            if (!fits(chosen, keptIds, words, chars)) {
                chosen.remove(chosen.size() - 1);
            }
        }
        if (!idsPlaced) {
            placeIdentifiers(identifiers, chosen, keptIds, words, chars);
        }
        String text = format(chosen, keptIds);
        return text.isBlank() ? "No conversation content to summarize." : text;
    }

    /** Identifiers take at most half the word budget, so requests and decisions keep room. */
    private static void placeIdentifiers(List<String> identifiers, List<Line> chosen, List<String> keptIds, int words, int chars) {
        for (String id : identifiers) {
            keptIds.add(id);
            if (keptIds.size() > Math.max(1, words / 2) || !fits(chosen, keptIds, words, chars)) {
                keptIds.remove(keptIds.size() - 1);
                return;
            }
        }
    }

    private static boolean fits(List<Line> chosen, List<String> ids, int words, int chars) {
        String text = format(chosen, ids);
        return wordCount(text) <= words && text.codePointCount(0, text.length()) <= chars;
    }

    private static String format(List<Line> chosen, List<String> ids) {
        StringBuilder out = new StringBuilder();
        for (Section section : Section.values()) {
            if (section == Section.IDENTIFIERS) {
                if (!ids.isEmpty()) {
                    out.append(section.title).append(": ").append(String.join(", ", ids)).append('\n');
                }
                continue;
            }
            List<Line> inSection = chosen.stream().filter(l -> l.section() == section)
                    .sorted(Comparator.comparingInt(Line::order)).toList();
            if (inSection.isEmpty()) {
                continue;
            }
            out.append(section.title).append(":\n");
            for (Line l : inSection) {
                out.append("- ").append(l.text()).append('\n');
            }
        }
        return out.toString().strip();
    }

    private static int wordCount(String text) {
        String t = text == null ? "" : text.strip();
        return t.isEmpty() ? 0 : t.split("\\s+").length;
    }

    private static void collectIdentifiers(String text, Set<String> into) {
        for (String id : Identifiers.in(text)) {
            if (!isCovered(id, into)) {
                into.add(id);
            }
        }
    }

    /** Skips fragments of identifiers already kept (a number inside a URL, say). */
    private static boolean isCovered(String id, Set<String> kept) {
        for (String k : kept) {
            if (k.contains(id)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isPriorSummary(String text) {
        return text.contains("system_alert") && text.contains(PRIOR_SUMMARY_MARKER);
    }

    private static String priorSummary(String packed) {
        int at = packed.indexOf(PRIOR_SUMMARY_MARKER);
        String rest = packed.substring(at + PRIOR_SUMMARY_MARKER.length());
        int end = rest.indexOf("\",\n");
        if (end < 0) {
            end = rest.lastIndexOf('"');
        }
        String body = end > 0 ? rest.substring(0, end) : rest;
        return body.replace("\\n", " ").replace("\\\"", "\"").strip();
    }

    private static String decisionSentence(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String[] sentences = SENTENCE_END.split(text.strip());
        for (String s : sentences) {
            if (DECISION.matcher(s).find()) {
                return s.strip();
            }
        }
        return sentences[0].strip();
    }

    private static String firstSentences(String text, int n) {
        String[] sentences = SENTENCE_END.split(text.strip());
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(n, sentences.length); i++) {
            if (i > 0) {
                out.append(' ');
            }
            out.append(sentences[i].strip());
        }
        return out.toString();
    }

    private static String clipWords(String text, int max) {
        String[] words = text.strip().split("\\s+");
        if (words.length <= max) {
            return text.strip().replaceAll("\\s+", " ");
        }
        return String.join(" ", Arrays.copyOf(words, max)) + " …";
    }

    private static String clipChars(String text, int max) {
        String t = text == null ? "" : text.replaceAll("\\s+", " ");
        return CodePoints.count(t) <= max ? t : CodePoints.prefix(t, max) + "…";
    }
}
