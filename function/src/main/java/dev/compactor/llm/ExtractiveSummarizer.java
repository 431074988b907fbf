package dev.compactor.llm;

import dev.compactor.text.CodePoints;
import dev.compactor.text.Identifiers;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The offline summarizer ({@code local/extractive}): deterministic, no network, linear in the span.
 *
 * <p>What it keeps, most important first: the latest request; errors, exceptions and failed tests
 * with their causes (the lines that matter anywhere in a long tool output); decisions in their
 * latest state, where a later correction, change of plan or cancellation supersedes the earlier
 * claim and the summary lists that claim as superseded; open questions; then earlier requests,
 * warnings and tool outcomes. Routine chatter and repeated lines are dropped. Every identifier of
 * the span ({@link Identifiers}) not already quoted in those lines goes into a verbatim list while
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
    /** Earlier statements a correction is compared with; older ones are out of its reach (keeps the pass linear). */
    private static final int SUPERSEDE_WINDOW = 64;
    /** Lines of this priority or better are chosen before any identifier is listed. */
    private static final int ESSENTIAL = 2;
    private static final String IDENTIFIERS_TITLE = "Identifiers (verbatim): ";
    private static final Pattern ID_PARTS = Pattern.compile("[-_./:, @]+");
    private static final String PRIOR_SUMMARY_MARKER = "The following is a summary of the previous messages:";

    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?。！？])\\s+|\\n+");
    private static final Pattern CHATTER = Pattern.compile(
            "(?i)\\s*(ok(ay)?|thanks?( you)?( so much)?|thx|great|cool|nice|perfect|sounds good|got it|sure|yes|no|yep|will do|"
                    + "you're welcome|glad to help|no problem|merci|danke|gracias|谢谢|好的)[.!\\s]*(👍|🙏|😊)?[.!\\s]*");
    /** Openers that carry nothing a reader needs ("While you're at it, what does …?"), dropped from requests and questions. */
    private static final Pattern LEAD = Pattern.compile(
            "(?i)^(?:(?:while you(?:'re| are) at it|by the way|btw|oh,? and|and also|one more thing|quick question|just curious|"
                    + "out of curiosity|hey|hi|hello)[,:;.!]?\\s+)+");
    private static final Set<String> STOPWORDS = Set.of("the", "and", "that", "this", "with", "from", "have", "were", "was", "for",
            "not", "but", "are", "you", "your", "our", "will", "instead", "actually", "right", "wrong", "correction", "should",
            "would", "could", "then", "than", "there", "their", "they", "them", "what", "which", "when", "about", "into", "also",
            "just", "only", "been", "being", "cancel", "cancelled", "canceled", "change", "changed", "plan", "let's", "it's");

    @Override
    public SummaryResult summarize(SummaryRequest request) {
        // Nothing here can honour model_settings: the settings judge names them as not applied.
        long started = System.nanoTime();
        List<ChatMessage> span = request.span();
        Reading reading = new Reading(span);
        int wordLimit = request.wordLimit() > 0 ? request.wordLimit() : DEFAULT_WORD_LIMIT;
        long budget = budget(span, request.clipChars());
        String text = reading.render(wordLimit, budget, request.clipChars());
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

    private enum Section {
        EARLIER("Earlier context"),
        REQUESTS("User requests"),
        FINDINGS("Errors and causes"),
        DECISIONS("Decisions (latest state)"),
        QUESTIONS("Open questions"),
        ACTIONS("Assistant notes and actions"),
        OUTCOMES("Tool outcomes"),
        SUPERSEDED("Superseded (no longer current)");

        final String title;

        Section(String title) {
            this.title = title;
        }
    }

    /** A candidate line of the summary. Lower priority is kept first. */
    private static final class Note {
        final Section section;
        int priority;
        int order;
        final String text;
        final Set<String> topic;
        /** The span message it came from. */
        final int message;
        int count = 1;
        Note supersededBy;

        Note(Section section, int priority, int order, String text, Set<String> topic, int message) {
            this.message = message;
            this.section = section;
            this.priority = priority;
            this.order = order;
            this.text = text;
            this.topic = topic;
        }

        /** A superseded line ranks last among the essential ones: the summary must say what no longer holds. */
        int rank() {
            return supersededBy != null ? ESSENTIAL : priority;
        }

        Section shownIn() {
            return supersededBy != null ? Section.SUPERSEDED : section;
        }

        String line() {
            String body = count > 1 ? text + " (×" + count + ")" : text;
            return supersededBy != null ? body + " [superseded by a later message]" : body;
        }
    }

    /** What has been chosen so far and what it costs, against the budget and the narrative's word limit. */
    private static final class Selection {
        private final long budget;
        private final int wordLimit;
        private final List<Note> chosen = new ArrayList<>();
        private final Set<Section> opened = new HashSet<>();
        private long cost;
        private int words;

        Selection(long budget, int wordLimit) {
            this.budget = budget;
            this.wordLimit = wordLimit;
        }

        void offer(Note n) {
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

        long room() {
            return budget - cost;
        }

        /** Identifiers cost budget, not narrative: their words do not count against the word limit. */
        void take(long extraCost) {
            cost += extraCost;
        }
    }

    /** One pass over the span: notes, identifiers with their counts, statements a correction may supersede. */
    private static final class Reading {
        private final Map<String, Note> notes = new LinkedHashMap<>();
        private final Map<String, int[]> identifiers = new LinkedHashMap<>();
        /** Requests, decisions and facts in order: what a later correction can supersede. */
        private final List<Note> statementsSoFar = new ArrayList<>();
        private final Map<String, String> toolNames = new HashMap<>();
        private int order;
        /** The span message being read. */
        private int message;

        Reading(List<ChatMessage> span) {
            int lastUser = -1;
            int lastAssistant = -1;
            for (int i = 0; i < span.size(); i++) {
                ChatMessage m = span.get(i);
                if ("user".equals(m.role()) && !isPriorSummary(m.text()) && !isChatter(m.text())) {
                    lastUser = i;
                }
                if ("assistant".equals(m.role())) {
                    lastAssistant = i;
                }
                for (ChatMessage.Call call : m.toolCalls()) {
                    toolNames.put(call.id(), call.name());
                }
            }
            for (int i = 0; i < span.size(); i++) {
                ChatMessage m = span.get(i);
                message = i;
                if ("system".equals(m.role())) {
                    continue; // system turns describe the agent, not the conversation
                }
                boolean said = !"tool".equals(m.role());
                countIdentifiers(m.text(), said);
                for (ChatMessage.Call call : m.toolCalls()) {
                    countIdentifiers(call.arguments(), said);
                }
                switch (m.role()) {
                    case "user" -> user(m.text(), i == lastUser);
                    case "assistant" -> assistant(m, i > lastUser && i == lastAssistant);
                    case "tool" -> tool(m);
                    default -> { }
                }
            }
        }

        /** Per identifier: occurrences, the latest position, and 1 once a user or the assistant said it (not only a tool). */
        private void countIdentifiers(String text, boolean said) {
            for (String id : Identifiers.in(text)) {
                int[] seen = identifiers.computeIfAbsent(id, k -> new int[] {0, 0, 0});
                seen[0]++;
                seen[1] = order;
                seen[2] |= said ? 1 : 0;
            }
        }

        private void user(String text, boolean latest) {
            if (text.isBlank() || isChatter(text)) {
                return;
            }
            if (isPriorSummary(text)) {
                add(Section.EARLIER, 1, clipWords(priorSummary(text), 80), null);
                return;
            }
            List<String> sentences = sentences(text);
            boolean[] noted = statements(sentences, latest, true);
            if (!noted[0]) {
                String request = clipWords(withoutLead(sentences.size() > 1 && !noted[1] ? join(sentences, 0, 2) : sentences.get(0)), 40);
                statementsSoFar.add(add(Section.REQUESTS, latest ? 0 : 4, request, topic(request)));
            }
        }

        private void assistant(ChatMessage m, boolean lastWord) {
            if (!m.text().isBlank() && !isChatter(m.text())) {
                statements(sentences(m.text()), lastWord, false);
            }
            for (ChatMessage.Call call : m.toolCalls()) {
                add(Section.ACTIONS, 6, "called " + call.name() + "(" + clipChars(call.arguments(), 100) + ")", null);
            }
        }

        /**
         * Decisions, corrections, causes, facts and questions in a user's or the assistant's sentences.
         *
         * @param latest the conversation's last word (its questions are still open)
         * @param byUser whether the user said it (the user's other sentences make the request line)
         * @return for each sentence, whether it made a note (a user's other sentences make the request line)
         */
        private boolean[] statements(List<String> sentences, boolean latest, boolean byUser) {
            boolean[] notedAt = new boolean[Math.max(2, sentences.size())];
            boolean noted = false;
            for (int s = 0; s < sentences.size(); s++) {
                String sentence = sentences.get(s);
                int from = s;
                int cues = Cues.of(sentence);
                boolean causeCue = Cues.has(cues, Cues.CAUSE);
                if (Cues.has(cues, Cues.CORRECTION)) {
                    // "You were right." alone says nothing: the corrected fact follows it.
                    int last = s;
                    while (last + 1 < sentences.size() && last - s < 2 && wordCount(join(sentences, s, last + 1)) < 14) {
                        last++;
                    }
                    String text = join(sentences, s, last + 1);
                    Note correction = add(Section.DECISIONS, 1, clipWords(text, 50), topic(text));
                    supersede(correction);
                    statementsSoFar.add(correction);
                    s = last;
                } else if (!byUser && (causeCue || Cues.reportsFailure(cues))) {
                    statementsSoFar.add(add(Section.FINDINGS, causeCue ? 1 : 3, clipWords(sentence, 45),
                            topic(sentence)));
                } else if (Cues.has(cues, Cues.DECISION)) {
                    // "I will look up the order." says less than one naming what was decided
                    int priority = Identifiers.in(sentence).isEmpty() ? 4 : 2;
                    statementsSoFar.add(add(Section.DECISIONS, priority, clipWords(sentence, 40), topic(sentence)));
                } else if (sentence.endsWith("?") && latest) {
                    add(Section.QUESTIONS, 2, clipWords(withoutLead(sentence), 40), null);
                } else if (!byUser && !noted && !Identifiers.in(sentence).isEmpty()) {
                    statementsSoFar.add(add(Section.ACTIONS, 5, clipWords(sentence, 35), topic(sentence)));
                } else {
                    continue;
                }
                noted = true;
                for (int k = from; k <= s; k++) {
                    notedAt[k] = true;
                }
            }
            return notedAt;
        }

        private void tool(ChatMessage m) {
            String name = toolNames.get(m.toolCallId());
            String prefix = name == null ? "" : name + ": ";
            boolean failed = "error".equals(m.status());
            List<ToolOutputLines.Kept> lines = ToolOutputLines.salient(m.text(), failed);
            if (!lines.isEmpty()) {
                for (ToolOutputLines.Kept k : lines) {
                    String text = prefix + k.text() + (k.count() > 1 ? " (×" + k.count() + " in this output)" : "");
                    add(k.failure() ? Section.FINDINGS : Section.OUTCOMES, k.failure() ? 1 : 4, text, null);
                }
                return;
            }
            String first = firstLine(m.text());
            if (!first.isBlank()) {
                add(Section.OUTCOMES, 6, prefix + clipWords(first, 25), null);
            }
        }

        /**
         * A correction supersedes the earlier statements on its topic (within the last
         * {@link #SUPERSEDE_WINDOW}); when it shares a topic with none ("Scratch that, we are 140
         * now."), it revises the latest statement of an earlier message.
         */
        private void supersede(Note correction) {
            boolean any = false;
            int from = Math.max(0, statementsSoFar.size() - SUPERSEDE_WINDOW);
            for (int k = statementsSoFar.size() - 1; k >= from; k--) {
                Note earlier = statementsSoFar.get(k);
                if (earlier != correction && earlier.supersededBy == null && overlaps(earlier, correction.topic)) {
                    earlier.supersededBy = correction;
                    any = true;
                }
            }
            for (int k = statementsSoFar.size() - 1; !any && k >= from; k--) {
                Note earlier = statementsSoFar.get(k);
                if (earlier.message < correction.message && earlier.supersededBy == null) {
                    earlier.supersededBy = correction;
                    any = true;
                }
            }
        }

        private Note add(Section section, int priority, String text, Set<String> topic) {
            String key = section.name() + '\u0000' + text;
            Note existing = notes.remove(key);
            if (existing != null) {
                // said again: kept once, at its latest position
                existing.count++;
                existing.order = order++;
                existing.priority = Math.min(priority, existing.priority);
                notes.put(key, existing);
                return existing;
            }
            Note note = new Note(section, priority, order++, text, topic == null ? Set.of() : topic, message);
            if (!text.isBlank()) {
                notes.put(key, note);
            }
            return note;
        }

        /**
         * Picks lines in three rounds: the essential ones by priority (the latest request, errors
         * and causes, decisions, open questions; newest first within a priority) while the
         * narrative stays within the word limit and the summary within its budget; then the
         * identifiers those lines do not quote; then the remaining lines while room lasts. Prints
         * the lines by section in conversation order, the identifiers last.
         */
        String render(int wordLimit, long budget, Integer clipChars) {
            List<Note> ranked = new ArrayList<>(notes.size());
            for (Note n : notes.values()) {
                ranked.add(n);
            }
            ranked.sort(Comparator.comparingInt(Note::rank).thenComparing(Comparator.comparingInt((Note n) -> n.order).reversed()));
            Selection selection = new Selection(budget, wordLimit);
            for (Note n : ranked) {
                if (n.rank() <= ESSENTIAL) {
                    selection.offer(n);
                }
            }
            List<String> ids = identifiers(format(selection.chosen), selection.chosen, selection);
            for (Note n : ranked) {
                if (n.rank() > ESSENTIAL) {
                    selection.offer(n);
                }
            }
            String prose = format(selection.chosen);
            // lines chosen after the identifiers may quote some of them already
            List<String> unquoted = ids.stream().filter(id -> !prose.contains(id)).toList();
            StringBuilder out = new StringBuilder(prose);
            if (!unquoted.isEmpty()) {
                out.append(IDENTIFIERS_TITLE).append(joinIdentifiers(unquoted)).append('\n');
            }
            String text = out.toString().strip();
            if (text.isEmpty()) {
                text = fallback(budget);
            }
            return clipChars == null ? text : CodePoints.prefix(text, clipChars);
        }

        private static String format(List<Note> chosen) {
            List<Note> inOrder = new ArrayList<>(chosen);
            inOrder.sort(Comparator.comparingInt(n -> n.order));
            StringBuilder out = new StringBuilder();
            for (Section section : Section.values()) {
                boolean titled = false;
                for (Note n : inOrder) {
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
        private List<String> identifiers(String prose, List<Note> chosen, Selection selection) {
            long titleCost = summaryCost(IDENTIFIERS_TITLE) + 1;
            if (selection.room() <= titleCost) {
                return List.of();
            }
            Set<String> outdated = new HashSet<>();
            Set<Note> shown = new HashSet<>(chosen);
            for (Note n : notes.values()) {
                if (n.supersededBy != null && !shown.contains(n)) {
                    outdated.addAll(Identifiers.in(n.text));
                }
            }
            List<Map.Entry<String, int[]>> candidates = new ArrayList<>();
            int position = 0;
            Map<String, Integer> firstSeen = new HashMap<>();
            for (Map.Entry<String, int[]> e : identifiers.entrySet()) {
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
            long room = selection.room();
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
            selection.take(cost);
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
        private String fallback(long budget) {
            Note latest = null;
            for (Note n : notes.values()) {
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

    /**
     * Whether a correction is about an earlier statement: a request or decision shares one
     * distinctive word with it (five letters or more) or two others; a reported fact, which names
     * more in passing, shares two.
     */
    private static boolean overlaps(Note earlier, Set<String> correction) {
        boolean instruction = earlier.section == Section.REQUESTS || earlier.section == Section.DECISIONS;
        int shared = 0;
        for (String w : earlier.topic) {
            if (correction.contains(w)) {
                if (instruction && w.length() >= 5) {
                    return true;
                }
                shared++;
            }
        }
        return shared >= 2;
    }

    /** The content words of a statement, for telling which earlier decision a correction revises. */
    private static Set<String> topic(String text) {
        Set<String> out = new HashSet<>();
        String lower = text.toLowerCase(Locale.ROOT);
        int start = -1;
        for (int i = 0; i <= lower.length(); i++) {
            boolean wordChar = i < lower.length() && (Character.isLetterOrDigit(lower.charAt(i)) || lower.charAt(i) == '_');
            if (wordChar && start < 0) {
                start = i;
            } else if (!wordChar && start >= 0) {
                String w = lower.substring(start, i);
                if (w.length() >= 4 && !STOPWORDS.contains(w) && !w.chars().allMatch(Character::isDigit)) {
                    out.add(w);
                }
                start = -1;
            }
        }
        return out;
    }

    private static String withoutLead(String sentence) {
        Matcher m = LEAD.matcher(sentence);
        if (!m.lookingAt() || m.end() == sentence.length()) {
            return sentence;
        }
        String rest = sentence.substring(m.end());
        return Character.toUpperCase(rest.charAt(0)) + rest.substring(1);
    }

    private static boolean isChatter(String text) {
        return text.length() < 60 && CHATTER.matcher(text).matches();
    }

    private static int wordCount(String text) {
        int words = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            boolean space = Character.isWhitespace(text.charAt(i));
            if (!space && !inWord) {
                words++;
            }
            inWord = !space;
        }
        return words;
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

    private static List<String> sentences(String text) {
        List<String> out = new ArrayList<>();
        for (String s : SENTENCE_END.split(text.strip())) {
            String t = s.strip();
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }

    private static String join(List<String> sentences, int from, int to) {
        return String.join(" ", sentences.subList(Math.min(from, sentences.size()), Math.min(to, sentences.size())));
    }

    private static String firstLine(String text) {
        String t = text.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }

    /** The first {@code max} words, whitespace collapsed; longer text ends with an ellipsis. */
    private static String clipWords(String text, int max) {
        StringBuilder out = new StringBuilder();
        int words = 0;
        for (String w : text.strip().split("\\s+")) {
            if (w.isEmpty()) {
                continue;
            }
            if (words == max) {
                return out + " …";
            }
            if (words > 0) {
                out.append(' ');
            }
            out.append(w);
            words++;
        }
        return out.toString();
    }

    private static String clipChars(String text, int max) {
        String t = text == null ? "" : text.replaceAll("\\s+", " ");
        return CodePoints.count(t) <= max ? t : CodePoints.prefix(t, max) + "…";
    }
}
