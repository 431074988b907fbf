package dev.compactor.compaction;

import dev.compactor.json.JsonWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Wraps a summary the way Letta stores it: a {@code system_alert} JSON object (Python's
 * {@code indent=2} layout, UTF-8 kept) whose message starts with a preamble chosen by the mode that
 * actually ran, stamped with the agent's local time.
 */
public final class SummaryPackager {
    static final String SUMMARY_INTRO = "The following is a summary of the previous messages:";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd hh:mm:ss a zzzxx", Locale.US);

    private SummaryPackager() {}

    /** Letta's {@code compaction_stats}. */
    public record Stats(String trigger, Long contextTokensBefore, Long contextTokensAfter, long contextWindow,
                        int messagesCountBefore, int messagesCountAfter) {
        Map<String, Object> toJson() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("trigger", trigger);
            out.put("context_tokens_before", contextTokensBefore);
            out.put("context_tokens_after", contextTokensAfter);
            out.put("context_window", contextWindow);
            out.put("messages_count_before", messagesCountBefore);
            out.put("messages_count_after", messagesCountAfter);
            return out;
        }
    }

    public static String pack(String summary, CompactionMode modeUsed, String timezone, Instant now, Stats stats) {
        Map<String, Object> alert = new LinkedHashMap<>();
        alert.put("type", "system_alert");
        alert.put("message", preamble(modeUsed, stats) + "\n" + SUMMARY_INTRO + "\n " + summary.replace("\u0000", ""));
        alert.put("time", localTime(timezone, now));
        if (stats != null) {
            alert.put("compaction_stats", stats.toJson());
        }
        return JsonWriter.PYTHON_INDENT_2.write(alert);
    }

    static String preamble(CompactionMode modeUsed, Stats stats) {
        if (modeUsed.isSliding()) {
            if (stats != null) {
                int hidden = stats.messagesCountBefore() - stats.messagesCountAfter();
                return "Note: " + hidden + " messages from the beginning of the conversation have been hidden from view"
                        + " due to memory constraints.";
            }
            return "Note: prior messages from the beginning of the conversation have been hidden from view due to"
                    + " conversation memory constraints.";
        }
        return "Note: prior messages have been hidden from view due to conversation memory constraints.";
    }

    /** strftime {@code %Y-%m-%d %I:%M:%S %p %Z%z} in the agent's zone (UTC when unknown). */
    static String localTime(String timezone, Instant now) {
        ZoneId zone;
        try {
            zone = timezone == null || timezone.isBlank() ? ZoneId.of("UTC") : ZoneId.of(timezone);
        } catch (RuntimeException e) {
            zone = ZoneId.of("UTC");
        }
        return TIME.format(ZonedDateTime.ofInstant(now, zone));
    }

    /** Letta's clip: the first {@code clipChars} code points and a marker, when longer. */
    public static String clip(String summary, Long clipChars) {
        if (clipChars == null) {
            return summary;
        }
        int length = summary.codePointCount(0, summary.length());
        if (length <= clipChars) {
            return summary;
        }
        return summary.substring(0, summary.offsetByCodePoints(0, (int) Math.min(clipChars, length)))
                + "... [summary truncated to fit]";
    }
}
