package dev.compactor.llm;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;

/**
 * The cue words that tell the extractive summarizer what a sentence or log line is: a correction
 * or change of plan, a cause, a decision, a failure, a routine all-clear. Found in one scan of the
 * text's words plus a few phrase look-ups, as a bit set.
 */
final class Cues {
    static final int CORRECTION = 1;
    static final int CAUSE = 1 << 1;
    static final int DECISION = 1 << 2;
    /** An error, exception or failure in words of any case ("failed", "timed out"). */
    static final int FAILURE = 1 << 3;
    /** A log's severity or an exception name, as written ({@code ERROR}, {@code OutOfMemoryError}, {@code Traceback}). */
    static final int SEVERE = 1 << 4;
    static final int WARNING = 1 << 5;
    /** A line that names failure only to deny it ("no errors", "no cause there"), or a routine success. */
    static final int ROUTINE = 1 << 6;
    /** Internal: a log level of routine lines, and a success word; together they make a line routine. */
    private static final int LEVEL = 1 << 7;
    private static final int SUCCESS = 1 << 8;

    private static final Set<String> CORRECTION_WORDS = Set.of("actually", "correction", "corrected", "instead", "cancel", "cancelled",
            "canceled", "cancels", "revised", "released", "replaced");
    private static final List<String> CORRECTION_PHRASES = List.of("you were right", "you're right", "i was wrong", "my mistake",
            "rather than", "change of plan", "plan changed", "plans changed", "changed it to", "change it to", "changed to", "moved to",
            "no longer", "scratch that", "update:");
    private static final Set<String> CAUSE_WORDS = Set.of("because", "mitigated", "resolved", "culprit");
    private static final List<String> CAUSE_PHRASES = List.of("root cause", "caused by", "due to", "the cause", "the fix", "fixed by");
    private static final Set<String> DECISION_WORDS = Set.of("decided", "decide", "decision", "will", "we'll", "i'll", "let's", "plan",
            "chose", "choose", "agreed", "approved", "book", "booked", "confirm", "confirmed", "selected", "use", "using", "final");
    private static final List<String> DECISION_PHRASES = List.of("going to", "going with", "switch to", "switched to");
    /** Words that report a failure that happened ("a transient failure" in documentation does not). */
    private static final Set<String> FAILURE_WORDS = Set.of("error", "errors", "exception", "failed", "denied", "refused", "timeout",
            "unreachable", "cannot");
    private static final List<String> FAILURE_PHRASES = List.of("timed out", "not found", "could not", "unable to");
    private static final Set<String> SEVERE_WORDS = Set.of("ERROR", "FATAL", "CRITICAL", "PANIC", "SEVERE", "FAILED", "FAIL", "OOM");
    private static final List<String> SEVERE_PHRASES = List.of("Exception", "Error:", "Traceback", "OutOfMemory", "Caused by", "panic:",
            "segmentation fault", "Killed");
    private static final Set<String> WARNING_WORDS = Set.of("WARN", "WARNING");
    private static final List<String> ROUTINE_PHRASES = List.of("no error", "0 errors", "zero errors", "without error", "no failure",
            "0 failed", "no exception", "no issue", "no cause", "nothing found", "nothing there");
    private static final Set<String> LEVEL_WORDS = Set.of("info", "debug", "trace");
    private static final Set<String> SUCCESS_WORDS = Set.of("ok", "200", "success", "successful", "succeeded");

    /** Every cue word, lower-cased, with its cue bits; a word is looked up once. */
    private static final Map<String, Integer> LOWER_WORDS = new HashMap<>();
    /** Cue words that count only as written. */
    private static final Map<String, Integer> EXACT_WORDS = new HashMap<>();

    static {
        CORRECTION_WORDS.forEach(w -> LOWER_WORDS.merge(w, CORRECTION, (a, b) -> a | b));
        CAUSE_WORDS.forEach(w -> LOWER_WORDS.merge(w, CAUSE, (a, b) -> a | b));
        DECISION_WORDS.forEach(w -> LOWER_WORDS.merge(w, DECISION, (a, b) -> a | b));
        FAILURE_WORDS.forEach(w -> LOWER_WORDS.merge(w, FAILURE, (a, b) -> a | b));
        LEVEL_WORDS.forEach(w -> LOWER_WORDS.merge(w, LEVEL, (a, b) -> a | b));
        SUCCESS_WORDS.forEach(w -> LOWER_WORDS.merge(w, SUCCESS, (a, b) -> a | b));
        SEVERE_WORDS.forEach(w -> EXACT_WORDS.merge(w, SEVERE, (a, b) -> a | b));
        WARNING_WORDS.forEach(w -> EXACT_WORDS.merge(w, WARNING, (a, b) -> a | b));
    }

    private Cues() {}

    static int of(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        int cues = 0;
        int start = -1;
        for (int i = 0; i <= text.length(); i++) {
            boolean wordChar = i < text.length() && isWordChar(text.charAt(i));
            if (wordChar && start < 0) {
                start = i;
            } else if (!wordChar && start >= 0) {
                String word = text.substring(start, i);
                String w = lower.length() == text.length() ? lower.substring(start, i) : word.toLowerCase(Locale.ROOT);
                cues |= LOWER_WORDS.getOrDefault(w, 0);
                if (Character.isUpperCase(word.charAt(0))) {
                    cues |= EXACT_WORDS.getOrDefault(word, 0);
                }
                start = -1;
            }
        }
        cues |= any(lower, CORRECTION_PHRASES) ? CORRECTION : 0;
        cues |= any(lower, CAUSE_PHRASES) ? CAUSE | FAILURE * (lower.contains("root cause") || lower.contains("caused by") ? 1 : 0) : 0;
        cues |= any(lower, DECISION_PHRASES) ? DECISION : 0;
        cues |= any(lower, FAILURE_PHRASES) ? FAILURE : 0;
        cues |= any(text, SEVERE_PHRASES) ? SEVERE : 0;
        cues |= any(lower, ROUTINE_PHRASES) || has(cues, LEVEL) && has(cues, SUCCESS) ? ROUTINE : 0;
        return cues & ~(LEVEL | SUCCESS);
    }

    static boolean has(int cues, int cue) {
        return (cues & cue) != 0;
    }

    /** A failure a reader should see: severe, or failure words that no all-clear denies. */
    static boolean reportsFailure(int cues) {
        return has(cues, SEVERE) || has(cues, FAILURE) && !has(cues, ROUTINE);
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '\'' || c == '_';
    }

    private static boolean any(String text, List<String> phrases) {
        for (String p : phrases) {
            if (text.contains(p)) {
                return true;
            }
        }
        return false;
    }
}
