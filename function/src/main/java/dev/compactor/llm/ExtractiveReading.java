package dev.compactor.llm;

import static dev.compactor.llm.ExtractiveText.clipChars;
import static dev.compactor.llm.ExtractiveText.clipWords;
import static dev.compactor.llm.ExtractiveText.firstLine;
import static dev.compactor.llm.ExtractiveText.isChatter;
import static dev.compactor.llm.ExtractiveText.isPriorSummary;
import static dev.compactor.llm.ExtractiveText.join;
import static dev.compactor.llm.ExtractiveText.priorSummary;
import static dev.compactor.llm.ExtractiveText.sentences;
import static dev.compactor.llm.ExtractiveText.withoutLead;
import static dev.compactor.llm.ExtractiveText.wordCount;

import dev.compactor.llm.ExtractiveNote.Section;
import dev.compactor.text.Identifiers;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The extractive summarizer's one pass over the span: candidate lines, identifiers with their
 * counts, and the statements a later correction may supersede.
 */
final class ExtractiveReading {
    /** Earlier statements a correction is compared with; older ones are out of its reach (keeps the pass linear). */
    private static final int SUPERSEDE_WINDOW = 64;
    private static final Set<String> STOPWORDS = Set.of("the", "and", "that", "this", "with", "from", "have", "were", "was", "for",
            "not", "but", "are", "you", "your", "our", "will", "instead", "actually", "right", "wrong", "correction", "should",
            "would", "could", "then", "than", "there", "their", "they", "them", "what", "which", "when", "about", "into", "also",
            "just", "only", "been", "being", "cancel", "cancelled", "canceled", "change", "changed", "plan", "let's", "it's");

    private final Map<String, ExtractiveNote> notes = new LinkedHashMap<>();
    private final Map<String, int[]> identifiers = new LinkedHashMap<>();
    /** Requests, decisions and facts in order: what a later correction can supersede. */
    private final List<ExtractiveNote> statementsSoFar = new ArrayList<>();
    private final Map<String, String> toolNames = new HashMap<>();
    private int order;
    /** The span message being read. */
    private int message;

    ExtractiveReading(List<ChatMessage> span) {
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
                ExtractiveNote correction = add(Section.DECISIONS, 1, clipWords(text, 50), topic(text));
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
    private void supersede(ExtractiveNote correction) {
        boolean any = false;
        int from = Math.max(0, statementsSoFar.size() - SUPERSEDE_WINDOW);
        for (int k = statementsSoFar.size() - 1; k >= from; k--) {
            ExtractiveNote earlier = statementsSoFar.get(k);
            if (earlier != correction && earlier.supersededBy == null && overlaps(earlier, correction.topic)) {
                earlier.supersededBy = correction;
                any = true;
            }
        }
        for (int k = statementsSoFar.size() - 1; !any && k >= from; k--) {
            ExtractiveNote earlier = statementsSoFar.get(k);
            if (earlier.message < correction.message && earlier.supersededBy == null) {
                earlier.supersededBy = correction;
                any = true;
            }
        }
    }

    private ExtractiveNote add(Section section, int priority, String text, Set<String> topic) {
        String key = section.name() + '\u0000' + text;
        ExtractiveNote existing = notes.remove(key);
        if (existing != null) {
            // said again: kept once, at its latest position
            existing.count++;
            existing.order = order++;
            existing.priority = Math.min(priority, existing.priority);
            notes.put(key, existing);
            return existing;
        }
        ExtractiveNote note = new ExtractiveNote(section, priority, order++, text, topic == null ? Set.of() : topic, message);
        if (!text.isBlank()) {
            notes.put(key, note);
        }
        return note;
    }

    /** The candidate lines, in the order they were last said. */
    Collection<ExtractiveNote> notes() {
        return notes.values();
    }

    /** Per identifier: occurrences, the latest position, and 1 once a user or the assistant said it. */
    Map<String, int[]> identifiers() {
        return identifiers;
    }

    /**
     * Whether a correction is about an earlier statement: a request or decision shares one
     * distinctive word with it (five letters or more) or two others; a reported fact, which names
     * more in passing, shares two.
     */
    private static boolean overlaps(ExtractiveNote earlier, Set<String> correction) {
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
}
