package dev.compactor.llm;

import dev.compactor.text.CodePoints;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sentence and word handling for the extractive summarizer: what counts as chatter, a sentence, a prior summary. */
final class ExtractiveText {
    private static final String PRIOR_SUMMARY_MARKER = "The following is a summary of the previous messages:";

    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?。！？])\\s+|\\n+");
    private static final Pattern CHATTER = Pattern.compile(
            "(?i)\\s*(ok(ay)?|thanks?( you)?( so much)?|thx|great|cool|nice|perfect|sounds good|got it|sure|yes|no|yep|will do|"
                    + "you're welcome|glad to help|no problem|merci|danke|gracias|谢谢|好的)[.!\\s]*(👍|🙏|😊)?[.!\\s]*");
    /** Openers that carry nothing a reader needs ("While you're at it, what does …?"), dropped from requests and questions. */
    private static final Pattern LEAD = Pattern.compile(
            "(?i)^(?:(?:while you(?:'re| are) at it|by the way|btw|oh,? and|and also|one more thing|quick question|just curious|"
                    + "out of curiosity|hey|hi|hello)[,:;.!]?\\s+)+");

    private ExtractiveText() {
    }

    static String withoutLead(String sentence) {
        Matcher m = LEAD.matcher(sentence);
        if (!m.lookingAt() || m.end() == sentence.length()) {
            return sentence;
        }
        String rest = sentence.substring(m.end());
        return Character.toUpperCase(rest.charAt(0)) + rest.substring(1);
    }

    static boolean isChatter(String text) {
        return text.length() < 60 && CHATTER.matcher(text).matches();
    }

    static int wordCount(String text) {
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

    static boolean isPriorSummary(String text) {
        return text.contains("system_alert") && text.contains(PRIOR_SUMMARY_MARKER);
    }

    static String priorSummary(String packed) {
        int at = packed.indexOf(PRIOR_SUMMARY_MARKER);
        String rest = packed.substring(at + PRIOR_SUMMARY_MARKER.length());
        int end = rest.indexOf("\",\n");
        if (end < 0) {
            end = rest.lastIndexOf('"');
        }
        String body = end > 0 ? rest.substring(0, end) : rest;
        return body.replace("\\n", " ").replace("\\\"", "\"").strip();
    }

    static List<String> sentences(String text) {
        List<String> out = new ArrayList<>();
        for (String s : SENTENCE_END.split(text.strip())) {
            String t = s.strip();
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }

    static String join(List<String> sentences, int from, int to) {
        return String.join(" ", sentences.subList(Math.min(from, sentences.size()), Math.min(to, sentences.size())));
    }

    static String firstLine(String text) {
        String t = text.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }

    /** The first {@code max} words, whitespace collapsed; longer text ends with an ellipsis. */
    static String clipWords(String text, int max) {
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

    static String clipChars(String text, int max) {
        String t = text == null ? "" : text.replaceAll("\\s+", " ");
        return CodePoints.count(t) <= max ? t : CodePoints.prefix(t, max) + "…";
    }
}
