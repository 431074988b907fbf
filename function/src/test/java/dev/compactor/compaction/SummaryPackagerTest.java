package dev.compactor.compaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SummaryPackagerTest {
    static final Instant NOW = Instant.parse("2025-12-18T06:14:30Z");

    @Test
    void packsLikeLettasSystemAlertWithoutStats() {
        String packed = SummaryPackager.pack("I fixed the bug.", CompactionMode.ALL, "UTC", NOW, null);

        assertThat(packed).isEqualTo("{\n"
                + "  \"type\": \"system_alert\",\n"
                + "  \"message\": \"Note: prior messages have been hidden from view due to conversation memory constraints.\\n"
                + "The following is a summary of the previous messages:\\n I fixed the bug.\",\n"
                + "  \"time\": \"2025-12-18 06:14:30 AM UTC+0000\"\n"
                + "}");
    }

    @Test
    void slidingWindowPreambleCountsHiddenMessagesWhenStatsAreKnown() {
        SummaryPackager.Stats stats = new SummaryPackager.Stats("manual", 5000L, 3000L, 128000, 45, 12);

        String packed = SummaryPackager.pack("s", CompactionMode.SLIDING_WINDOW, "UTC", NOW, stats);

        assertThat(packed).contains("Note: 33 messages from the beginning of the conversation have been hidden from view due to memory constraints.")
                .contains("  \"compaction_stats\": {\n"
                        + "    \"trigger\": \"manual\",\n"
                        + "    \"context_tokens_before\": 5000,\n"
                        + "    \"context_tokens_after\": 3000,\n"
                        + "    \"context_window\": 128000,\n"
                        + "    \"messages_count_before\": 45,\n"
                        + "    \"messages_count_after\": 12\n"
                        + "  }\n}");
    }

    @Test
    void slidingWindowPreambleWithoutStats() {
        assertThat(SummaryPackager.preamble(CompactionMode.SELF_COMPACT_SLIDING_WINDOW, null)).isEqualTo(
                "Note: prior messages from the beginning of the conversation have been hidden from view due to conversation memory constraints.");
    }

    @Test
    void timeIsTheAgentsLocalTimeInLettasFormat() {
        assertThat(SummaryPackager.localTime("America/New_York", Instant.parse("2025-06-24T04:53:40Z")))
                .isEqualTo("2025-06-24 12:53:40 AM EDT-0400");
        assertThat(SummaryPackager.localTime(null, NOW)).isEqualTo("2025-12-18 06:14:30 AM UTC+0000");
    }

    @Test
    void clipCountsCodePointsAndLeavesShortSummariesAlone() {
        assertThat(SummaryPackager.clip("abc", 3L)).isEqualTo("abc");
        assertThat(SummaryPackager.clip("abcd", 0L)).isEqualTo("... [summary truncated to fit]");
        assertThat(SummaryPackager.clip("abcd", null)).isEqualTo("abcd");
    }
}
