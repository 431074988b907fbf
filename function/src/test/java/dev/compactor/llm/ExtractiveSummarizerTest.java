package dev.compactor.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.conversation.ModelSettings;
import dev.compactor.input.WellFormedText;
import dev.compactor.text.Identifiers;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExtractiveSummarizerTest {
    private final ExtractiveSummarizer summarizer = new ExtractiveSummarizer();

    private static List<ChatMessage> session(int rounds) {
        List<ChatMessage> span = new ArrayList<>();
        for (int i = 1; i <= rounds; i++) {
            span.add(ChatMessage.of("user", "Round " + i + ": please check services/api/handler_" + i + ".py and ticket OPS-" + (100 + i)
                    + ". It keeps timing out after the deploy, which is odd because nothing in that path changed recently."));
            span.add(new ChatMessage("assistant", "I will read the handler first.",
                    List.of(new ChatMessage.Call("call_" + i, "read_file", "{\"path\": \"services/api/handler_" + i + ".py\"}")), null, null));
            span.add(new ChatMessage("tool", "Traceback: TimeoutError after 30000 ms in fetch_orders", List.of(), "call_" + i, "error"));
            span.add(ChatMessage.of("assistant", "We decided to raise the pool size to 64 and retry. See https://wiki.acme.dev/pool-" + i));
        }
        return span;
    }

    private static SummaryRequest request(List<ChatMessage> span, int words, Integer clip) {
        return new SummaryRequest(ExtractiveSummarizer.HANDLE, "prompt", List.of(ChatMessage.of("user", "transcript")), null,
                span, words, clip, Instant.now().plusSeconds(5));
    }

    private static int words(String s) {
        return s.strip().split("\\s+").length;
    }

    /** Routine log lines: they make a span long enough to pay for a summary, and none of them belongs in it. */
    private static String routineLog(int lines) {
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            log.append("2026-03-14 02:").append(String.format("%02d:%02d", i / 60 % 60, i % 60))
                    .append(" INFO worker heartbeat ok, queue depth nominal\n");
        }
        return log.toString();
    }

    private static List<ChatMessage> withLog(List<ChatMessage> span, String log) {
        List<ChatMessage> out = new ArrayList<>();
        out.add(new ChatMessage("assistant", "", List.of(new ChatMessage.Call("log_1", "tail_log", "{}")), null, null));
        out.add(new ChatMessage("tool", log, List.of(), "log_1", "success"));
        out.addAll(span);
        return out;
    }

    @Test
    void keepsTheLatestRequestErrorsAndIdentifiersVerbatimEvenOnATinyBudget() {
        SummaryResult r = summarizer.summarize(request(withLog(session(1), routineLog(60)), 300, null));

        assertThat(r.source()).isEqualTo(SummaryResult.EXTRACTIVE);
        assertThat(r.model()).isEqualTo(ExtractiveSummarizer.HANDLE);
        assertThat(r.text()).contains("Round 1: please check services/api/handler_1.py and ticket OPS-101.")
                .contains("read_file: Traceback: TimeoutError after 30000 ms")
                .contains("https://wiki.acme.dev/pool-1").contains("OPS-101").contains("services/api/handler_1.py");
    }

    @Test
    void staysWithinTheWordLimitAndWellUnderTheSpansLength() {
        List<ChatMessage> span = session(40);

        String text = summarizer.summarize(request(span, 300, null)).text();

        String narrative = text.substring(0, text.indexOf("Identifiers (verbatim):"));
        assertThat(words(narrative)).isLessThanOrEqualTo(300);
        assertThat(text).contains("Round 40:");
        String small = summarizer.summarize(request(session(2), 300, null)).text();
        int spanWords = session(2).stream().mapToInt(m -> words(m.text())).sum();
        assertThat(words(small)).isLessThan(spanWords);
    }

    @Test
    void keepsDecisionsWhenTheBudgetAllows() {
        assertThat(summarizer.summarize(request(session(6), 300, null)).text())
                .contains("We decided to raise the pool size to 64 and retry.");
    }

    @Test
    void staysWithinTheCharacterLimit() {
        String text = summarizer.summarize(request(session(10), 500, 400)).text();

        assertThat(text.codePointCount(0, text.length())).isLessThanOrEqualTo(400);
        assertThat(text).isNotBlank();
    }

    @Test
    void isDeterministic() {
        assertThat(summarizer.summarize(request(session(7), 300, null)).text())
                .isEqualTo(summarizer.summarize(request(session(7), 300, null)).text());
    }

    @Test
    void carriesAnEarlierSummaryForward() {
        List<ChatMessage> span = new ArrayList<>();
        span.add(ChatMessage.of("user", "{\n  \"type\": \"system_alert\",\n  \"message\": \"Note: prior messages have been hidden."
                + "\\nThe following is a summary of the previous messages:\\n We migrated billing to Postgres 16.\",\n  \"time\": \"x\"\n}"));
        span.addAll(session(1));

        assertThat(summarizer.summarize(request(withLog(span, routineLog(20)), 300, null)).text())
                .contains("We migrated billing to Postgres 16.");
    }

    @Test
    void keepsSuccessfulToolOutcomesUnderTheToolsName() {
        List<ChatMessage> span = List.of(ChatMessage.of("user", "How many orders failed yesterday?"),
                new ChatMessage("assistant", "", List.of(new ChatMessage.Call("q1", "run_sql", "{\"sql\": \"select count(*) from orders\"}")), null, null),
                new ChatMessage("tool", "1284 rows matched. Query took 41 ms.", List.of(), "q1", "success"),
                ChatMessage.of("assistant", "1284 orders failed; I will check the payment gateway next."));

        String text = summarizer.summarize(request(withLog(span, routineLog(20)), 300, null)).text();

        assertThat(text).contains("- run_sql: 1284 rows matched.")
                .contains("- How many orders failed yesterday?")
                .contains("I will check the payment gateway next.");
    }

    @Test
    void ignoresModelSettingsWhichTheJudgeNamesAsNotApplied() {
        ModelSettings sent = ModelSettings.fromJson("{\"provider_type\":\"bedrock\",\"temperature\":0.1}");
        SummaryRequest withSettings = new SummaryRequest(ExtractiveSummarizer.HANDLE, "prompt", List.of(ChatMessage.of("user", "t")),
                sent, session(1), 300, null, Instant.now().plusSeconds(5));

        assertThat(summarizer.summarize(withSettings).text()).isNotBlank();
        assertThat(SettingsFit.judge(ExtractiveSummarizer.HANDLE, sent).notApplied()).containsExactly("model_settings.temperature");
    }

    @Test
    void clipsToolCallArgumentsAtWholeCharacters() {
        // The clip falls right after the first emoji (100 characters), whose surrogate pair stays whole.
        String arguments = "x".repeat(99) + "🚀🚀 and more";
        List<ChatMessage> span = List.of(ChatMessage.of("user", "Launch it."),
                new ChatMessage("assistant", "", List.of(new ChatMessage.Call("call_1", "launch", arguments)), null, null));

        String text = summarizer.summarize(request(withLog(span, routineLog(20)), 300, null)).text();

        assertThat(text).contains("called launch(" + "x".repeat(99) + "🚀…)");
        assertThat(WellFormedText.wellFormed(text)).as("no half of a surrogate pair").isTrue();
    }

    /** The title of the section each line mentioning {@code needle} is in, plus whether that line says it is superseded. */
    private static List<String> placesOf(String summary, String needle) {
        List<String> out = new ArrayList<>();
        String section = "";
        for (String line : summary.split("\n")) {
            if (!line.startsWith("- ")) {
                section = line.endsWith(":") ? line.substring(0, line.length() - 1) : line.substring(0, line.indexOf(':'));
            }
            if (line.contains(needle)) {
                out.add(section + (line.contains("[superseded") ? " [superseded]" : ""));
            }
        }
        return out;
    }

    private static ChatMessage user(String text) {
        return ChatMessage.of("user", text);
    }

    private static ChatMessage assistant(String text) {
        return ChatMessage.of("assistant", text);
    }

    @Test
    void keepsTheOneErrorOfALongLogAndItsJobNotTheLogsFirstLines() {
        StringBuilder log = new StringBuilder("2026-03-14 01:58:00 INFO starting compaction job job-7f3a91 on 12 shards\n");
        for (int i = 0; i < 3000; i++) {
            log.append("2026-03-14 02:").append(String.format("%02d:%02d", i / 60 % 60, i % 60))
                    .append(" INFO merged segment ").append(i % 7).append(" of shard s-04").append(10 + i % 9).append(", no errors\n");
            if (i == 1777) {
                log.append("2026-03-14 02:29:38 ERROR java.lang.OutOfMemoryError: Java heap space while merging shard s-0419\n")
                        .append("\tat dev.store.Merger.merge(Merger.java:212)\n");
            }
        }
        List<ChatMessage> span = List.of(user("Why did last night's compaction job fail?"),
                new ChatMessage("assistant", "", List.of(new ChatMessage.Call("c1", "read_log", "{\"job\": \"job-7f3a91\"}")), null, null),
                new ChatMessage("tool", log.toString(), List.of(), "c1", "success"));

        String text = summarizer.summarize(request(span, 300, null)).text();

        assertThat(text).contains("read_log: 2026-03-14 02:29:38 ERROR java.lang.OutOfMemoryError: Java heap space while merging shard s-0419")
                .contains("job-7f3a91").doesNotContain("starting compaction job").doesNotContain("Merger.java:212 ")
                .doesNotContain("no errors");
        assertThat(placesOf(text, "OutOfMemoryError")).containsExactly("Errors and causes");
    }

    @Test
    void aPlanChangedTwiceKeepsOnlyItsLatestStateAsCurrent() {
        List<ChatMessage> span = List.of(
                user("Book the 07:40 flight LH 1979 to Munich for Friday, budget €400."),
                assistant("I will book flight LH 1979 for Friday, fare €312.40."),
                user("Change of plan: take the train ICE 1005 instead of the flight."),
                assistant("Okay, I will book the train ICE 1005 instead, seat reservation included."),
                user("Cancel the train too; we now drive with rental car booking KC-TRV-5521."),
                assistant("Booked rental car KC-TRV-5521 from Sixt at Munich Hbf, €189.00 for three days."),
                user("Thanks!"));

        String text = summarizer.summarize(request(withLog(span, routineLog(40)), 300, null)).text();

        assertThat(placesOf(text, "KC-TRV-5521")).isNotEmpty().allSatisfy(p -> assertThat(p).doesNotContain("superseded"));
        assertThat(placesOf(text, "LH 1979")).isNotEmpty()
                .allSatisfy(p -> assertThat(p).isEqualTo("Superseded (no longer current) [superseded]"));
        assertThat(placesOf(text, "ICE 1005")).isNotEmpty()
                .allSatisfy(p -> assertThat(p).isEqualTo("Superseded (no longer current) [superseded]"));
        assertThat(text).doesNotContain("Thanks!");
    }

    @Test
    void aCorrectionSupersedesTheWrongFigureAndKeepsTheCorrectedOneWhole() {
        List<ChatMessage> span = List.of(
                user("What was Q3 revenue for the EU region?"),
                assistant("Q3 revenue for the EU region was €1,240,000 according to the finance.q3_revenue table."),
                user("That looks low; I think refunds were subtracted twice."),
                assistant("You were right. Q3 revenue for the EU region is €1,420,000 once refunds are subtracted only once."),
                user("Good, put that in the board deck."));

        String text = summarizer.summarize(request(withLog(span, routineLog(40)), 300, null)).text();

        assertThat(text).contains("You were right. Q3 revenue for the EU region is €1,420,000 once refunds are subtracted only once.");
        assertThat(placesOf(text, "€1,420,000")).containsExactly("Decisions (latest state)");
        assertThat(placesOf(text, "€1,240,000")).allSatisfy(p -> assertThat(p).endsWith("[superseded]"));
    }

    @Test
    void keepsIdentifiersOfEveryShapeWhole() {
        List<String> ids = List.of("KC-TRV-5521", "RE-2026-00417", "10.48550/arXiv.2503.11872", "€684.20", "4,870 ms", "97.3%",
                "analytics_cdc_slot", "staging.stg_refunds", "dana.ruiz@northwind-labs.io", "https://status.example.com/i/8812",
                "src/main/java/App.java", "0b1e2f3a-1111-4a2b-8c3d-9e8f7a6b5c4d");
        List<ChatMessage> span = new ArrayList<>();
        for (String id : ids) {
            span.add(user("Please keep track of " + id + " for the report, it matters for the follow-up next week."));
            span.add(assistant("Noted, I have recorded it with the other items for the weekly report."));
        }

        String text = summarizer.summarize(request(withLog(span, routineLog(30)), 300, null)).text();

        assertThat(ids).allSatisfy(id -> assertThat(text).contains(id));
        assertThat(text).doesNotContain(" TRV-5521").doesNotContain("RE-2026, ").doesNotContain(" 684.20").doesNotContain("10.48550, ");
    }

    @Test
    void aSmallEvictionKeepsTheLatestRequestAndTheMostIdentifiersThatFit() {
        List<String> keys = List.of("flush_interval", "retry_after", "batch_size", "timeout_ms", "queue_depth", "buffer_kb");
        List<Integer> defaults = List.of(438, 437, 28, 468, 257, 51);
        StringBuilder docs = new StringBuilder("# booking_worker v3.19.1\n\n## Configuration\n\n");
        for (int k = 0; k < keys.size(); k++) {
            docs.append("- `booking_worker.").append(keys.get(k)).append("` (default ").append(defaults.get(k))
                    .append("): upper bound of concurrent requests to the upstream service\n");
        }
        docs.append("\n## Operations\n\nRestart with `systemctl restart booking_worker`; health at /internal/booking/health.\n")
                .append("Dashboards: https://grafana.internal/d/booking-141.\n\n## Changelog\n\n");
        for (int v = 0; v < 5; v++) {
            docs.append("- v3.19.").append(v).append(": dependency updates\n");
        }
        List<ChatMessage> span = List.of(user("Book the 07:40 flight LH 2457 to Munich for Friday, budget €400."),
                user("While you're at it, what does booking_worker do exactly? I keep forgetting how it fits in."),
                new ChatMessage("assistant", "Let me check its documentation.",
                        List.of(new ChatMessage.Call("d1", "read_docs", "{\"component\": \"booking_worker\"}")), null, null),
                new ChatMessage("tool", docs.toString(), List.of(), "d1", "success"),
                assistant("booking_worker (v3.19.1) batches work for the booking pipeline and checkpoints after every batch; its"
                        + " settings live under the `booking_worker.` prefix and the dashboard is linked in the docs. Nothing in it"
                        + " looks related to the current problem."),
                user("got it"),
                user("While you're at it, what does booking_gateway do exactly? I keep forgetting how it fits in."));

        String text = summarizer.summarize(request(span, 300, null)).text();

        assertThat(text).contains("Book the 07:40 flight LH 2457 to Munich for Friday, budget €400.")
                .contains("What does booking_gateway do exactly?").doesNotContain("While you're at it");
        // "booking_worker" is kept inside "booking_worker.batch_size" and friends, not listed again on its own
        assertThat(text.split("[\\s,]+")).doesNotContain("booking_worker");
        Set<String> ids = new LinkedHashSet<>();
        for (ChatMessage m : span) {
            Identifiers.collect(m.text(), ids);
            m.toolCalls().forEach(c -> Identifiers.collect(c.arguments(), ids));
        }
        long kept = ids.stream().filter(text::contains).count();
        assertThat((double) kept / ids.size()).as("identifiers kept of %s in%n%s", ids, text).isGreaterThanOrEqualTo(0.75);
    }

    @Test
    void asksWhatIsStillOpen() {
        List<ChatMessage> span = List.of(user("Migrate the refunds pipeline to staging.stg_refunds_v2 this week."),
                assistant("I will start with the schema. Should the backfill cover 2024 or only 2025?"));

        String text = summarizer.summarize(request(withLog(span, routineLog(30)), 300, null)).text();

        assertThat(placesOf(text, "Should the backfill cover 2024")).containsExactly("Open questions");
    }

    @Test
    void tenShortMessagesAreSummarisedIntoAtMostHalfTheirSize() {
        List<ChatMessage> span = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            span.add(ChatMessage.of(i % 2 == 0 ? "user" : "assistant", ("Message " + i + " about the refund flow for order ORD-" + (4000 + i)
                    + " and its ledger entries. ").repeat(6)));
        }

        String text = summarizer.summarize(request(span, 300, null)).text();

        assertThat(ExtractiveSummarizer.spanCost(text) + ExtractiveSummarizer.PACKAGING_COST)
                .isLessThanOrEqualTo(span.stream().mapToLong(m -> ExtractiveSummarizer.MESSAGE_COST + ExtractiveSummarizer.spanCost(m.text())).sum() / 2 + 1);
    }

    /**
     * Property: over spans of every size and script (emoji included), the summary is never longer
     * than half of what it replaces in the estimate's unit, fits {@code clip_chars}, and is whole UTF-16.
     */
    @Test
    void isNeverLongerThanWhatItReplaces() {
        Random random = new Random(20261205);
        String[] words = {"deploy", "KC-TRV-5521", "€684.20", "错误", "naïve", "🚀", "ERROR", "because", "instead", "will", "4,870 ms",
                "staging.stg_refunds", "cancel", "?", "ok", "https://example.com/a/b?c=1", "\n", "Ünïcödé", "𝔘𝔫𝔦"};
        for (int run = 0; run < 250; run++) {
            List<ChatMessage> span = new ArrayList<>();
            int messages = 1 + random.nextInt(40);
            for (int i = 0; i < messages; i++) {
                StringBuilder text = new StringBuilder();
                int length = random.nextInt(run % 5 == 0 ? 400 : 40);
                for (int w = 0; w < length; w++) {
                    text.append(words[random.nextInt(words.length)]).append(random.nextInt(8) == 0 ? ". " : " ");
                }
                String role = List.of("user", "assistant", "tool").get(random.nextInt(3));
                span.add(new ChatMessage(role, text.toString(), List.of(), "tool".equals(role) ? "t" + i : null, null));
            }
            Integer clip = random.nextBoolean() ? null : 50 + random.nextInt(2000);
            String summary = summarizer.summarize(request(span, 100 + random.nextInt(400), clip)).text();
            long spanCost = span.stream().mapToLong(m -> ExtractiveSummarizer.MESSAGE_COST + ExtractiveSummarizer.spanCost(m.text())).sum();

            assertThat(summary).isNotBlank();
            if (spanCost >= 50) {
                assertThat(ExtractiveSummarizer.summaryCost(summary)).as("run %d", run).isLessThanOrEqualTo(spanCost / 2);
            }
            if (clip != null) {
                assertThat(summary.codePointCount(0, summary.length())).isLessThanOrEqualTo(clip);
            }
            for (int k = 0; k < summary.length(); k++) {
                char c = summary.charAt(k);
                if (Character.isHighSurrogate(c)) {
                    assertThat(k + 1 < summary.length() && Character.isLowSurrogate(summary.charAt(k + 1))).as("run %d", run).isTrue();
                    k++;
                } else {
                    assertThat(Character.isLowSurrogate(c)).as("run %d", run).isFalse();
                }
            }
        }
    }
}
