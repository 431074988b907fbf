package dev.compactor.compaction;

import dev.compactor.conversation.ContentPart;
import dev.compactor.conversation.Message;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.compactor.support.Json;
import dev.compactor.support.JsonMapper;
import dev.compactor.support.JsonWriter;
import dev.compactor.text.CodePoints;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
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

    /** Letta's {@code compaction_stats}: every field written, nulls included. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"trigger", "context_tokens_before", "context_tokens_after", "context_window", "messages_count_before",
            "messages_count_after"})
    public record Stats(String trigger, Long contextTokensBefore, Long contextTokensAfter, long contextWindow,
                        int messagesCountBefore, int messagesCountAfter) {}

    /** The stored {@code system_alert}; a manual compaction's has no stats. */
    @JsonPropertyOrder({"type", "message", "time", "compaction_stats"})
    private record Alert(String type, String message, String time,
                         @JsonProperty("compaction_stats") @JsonInclude(JsonInclude.Include.NON_NULL) Stats compactionStats) {}

    public static String pack(String summary, CompactionMode modeUsed, String timezone, Instant now, Stats stats) {
        Alert alert = new Alert("system_alert", preamble(modeUsed, stats) + "\n" + SUMMARY_INTRO + "\n " + summary.replace("\u0000", ""),
                localTime(timezone, now), stats);
        // Python's indent=2 layout is JsonWriter's; the mapper only lays the record out as plain values.
        return JsonWriter.PYTHON_INDENT_2.write(JsonMapper.MAPPER.convertValue(alert, Object.class));
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

    /**
     * A packed summary read back: the alert's {@code message} and its {@code compaction_stats}
     * (null when absent or incomplete, as Letta's extraction helpers answer).
     */
    public record Unpacked(String message, Stats stats) {
        /** The summary itself: the message without the preamble and intro lines. */
        public String summary() {
            int at = message.indexOf(SUMMARY_INTRO + "\n ");
            return at < 0 ? message : message.substring(at + SUMMARY_INTRO.length() + 2);
        }
    }

    /** Reads a packed {@code system_alert}; null for anything that is not one (invalid JSON, empty, other types). */
    public static Unpacked unpack(String packed) {
        if (packed == null || packed.isBlank()) {
            return null;
        }
        Object parsed;
        try {
            parsed = Json.parse(packed);
        } catch (RuntimeException e) {
            return null;
        }
        if (!(parsed instanceof Map<?, ?> alert) || !(alert.get("message") instanceof String message)) {
            return null;
        }
        return new Unpacked(message, stats(alert.get("compaction_stats")));
    }

    /** Letta's {@code extract_compaction_stats_from_packed_json}: the stats, or null. */
    public static Stats extractStats(String packed) {
        Unpacked u = unpack(packed);
        return u == null ? null : u.stats();
    }

    /** The stats of a stored summary message ({@code role=summary}, one text part), or null. */
    public static Stats extractStats(Message message) {
        if (message == null || message.content().size() != 1 || !(message.content().get(0) instanceof ContentPart.Text t)) {
            return null;
        }
        return extractStats(t.text());
    }

    private static Stats stats(Object raw) {
        if (!(raw instanceof Map<?, ?> s) || !(s.get("trigger") instanceof String trigger)
                || !(s.get("context_window") instanceof Long window)
                || !(s.get("messages_count_before") instanceof Long before)
                || !(s.get("messages_count_after") instanceof Long after)) {
            return null;
        }
        Object tb = s.get("context_tokens_before");
        Object ta = s.get("context_tokens_after");
        if ((tb != null && !(tb instanceof Long)) || (ta != null && !(ta instanceof Long))) {
            return null;
        }
        return new Stats(trigger, (Long) tb, (Long) ta, window, (int) (long) before, (int) (long) after);
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
        return CodePoints.count(summary) <= clipChars ? summary
                : CodePoints.prefix(summary, (int) Math.min(clipChars, Integer.MAX_VALUE)) + "... [summary truncated to fit]";
    }
}
