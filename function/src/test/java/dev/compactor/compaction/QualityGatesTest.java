package dev.compactor.compaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.compactor.compaction.CompactorTest.ScriptedSummarizer;
import dev.compactor.conversation.CompactionReport.IdentifierRetention;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.ToolCall;
import dev.compactor.support.JsonMapper;
import dev.compactor.text.Identifiers;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QualityGatesTest {

    private static Compactor.Outcome compact(ScriptedSummarizer s, List<Message> m, CompactionMode mode, QualityGates gates) {
        CompactionSettings d = CompactionSettings.defaults();
        CompactionSettings settings = new CompactionSettings(null, null, null, false, d.clipChars(), mode,
                d.slidingWindowPercentage(), Set.of("mode"));
        return new Compactor(h -> s, MessageTokens.approximate(), CompactorTest.CLOCK, gates).compact(new Compactor.Input(m,
                settings, CompactorTest.SUMMARIZER, CompactorTest.AGENT, 128_000, "UTC", "manual", Instant.now().plusSeconds(30)));
    }

    /** A session whose turns mention ids, paths, URLs and numbers. */
    private static List<Message> session(int turns) {
        Messages b = new Messages().system("sys");
        for (int i = 1; i <= turns; i++) {
            b.user("Please fix ACME-" + (100 + i) + " in src/main/App" + i + ".java, see https://example.com/issues/" + (500 + i)
                    + " and explain the long-standing failure in considerable detail so the whole team understands it.")
                    .assistant("I changed /src/main/App" + i + ".java; the timeout is now " + (3000 + i) + " ms and the retry "
                            + "logic is documented in the pull request description for everyone.");
        }
        return b.build();
    }

    @Test
    void everyGateIsReportedWithTheSummary() {
        Compactor.Outcome o = compact(new ScriptedSummarizer().then("Fixed ACME-101 in src/main/App1.java."), session(20),
                CompactionMode.ALL, QualityGates.off());

        Map<String, Object> json = JsonMapper.MAPPER.convertValue(o.gates(), new TypeReference<>() {});
        assertThat(json).containsEntry("passed", true)
                .containsKeys("non_empty", "not_truncated", "shorter", "identifier_retention", "tool_integrity");
        @SuppressWarnings("unchecked")
        Map<String, Object> ids = (Map<String, Object>) json.get("identifier_retention");
        assertThat(ids).containsEntry("status", "pass").containsEntry("enforced", false).containsEntry("kept", 2);
        assertThat((int) ids.get("found")).isGreaterThan(60);
        assertThat((List<?>) ids.get("missing")).hasSize(QualityGates.MISSING_SHOWN);
        @SuppressWarnings("unchecked")
        Map<String, Object> shorter = (Map<String, Object>) json.get("shorter");
        assertThat(shorter).containsEntry("status", "pass").containsEntry("enforced", true);
    }

    @Test
    void identifierRetentionBelowTheConfiguredMinimumRejectsTheSummaryAndFallsBack() {
        List<Message> m = session(20);
        ScriptedSummarizer s = new ScriptedSummarizer().then("A vague summary.").then("Still vague.");

        assertThatThrownBy(() -> compact(s, m, CompactionMode.SLIDING_WINDOW, new QualityGates(0.5)))
                .isInstanceOf(QualityGateException.class).hasMessageContaining("identifier_retention")
                .satisfies(e -> assertThat(((QualityGateException) e).report().gate("identifier_retention").status())
                        .isEqualTo(QualityGates.FAIL));
        assertThat(s.requests).hasSize(2).extracting(r -> r.system()).containsExactly(Prompts.SLIDING, Prompts.ALL);
    }

    @Test
    void aSummaryKeepingTheIdentifiersPassesTheMinimum() {
        List<Message> m = session(3);
        StringBuilder all = new StringBuilder();
        for (String id : Identifiers.in(Transcript.render(Transcript.turns(m, null)))) {
            all.append(id).append(' ');
        }
        Compactor.Outcome o = compact(new ScriptedSummarizer().then(all.toString()), m, CompactionMode.ALL, new QualityGates(0.9));

        assertThat(o.gates().identifierRetention().ratio()).isEqualTo(1.0);
    }

    @Test
    void aSummaryLongerThanALongSpanIsRejected() {
        List<Message> m = session(20);
        ScriptedSummarizer s = new ScriptedSummarizer().then("word ".repeat(20_000));

        assertThatThrownBy(() -> compact(s, m, CompactionMode.ALL, QualityGates.off()))
                .isInstanceOf(QualityGateException.class).hasMessageContaining("shorter");
    }

    @Test
    void aSummaryLongerThanAFewShortTurnsIsOnlyAWarning() {
        Compactor.Outcome o = compact(new ScriptedSummarizer().then("word ".repeat(200)), Messages.pairs(2).build(),
                CompactionMode.ALL, QualityGates.off());

        assertThat(o.gates().gate("shorter").status()).isEqualTo(QualityGates.WARN);
        assertThat(o.gates().passed()).isTrue();
    }

    @Test
    void retentionCountsHandLabelledIdentifiersAsWholesAndNamesTheMissingOnes() {
        // Labelled by hand: 4 identifiers in the first turn, 5 in the second, none in the rest.
        List<Message> m = new Messages().system("sys")
                .user("Refund RE-2026-00417 for booking KC-TRV-5521: charge €684.20 and mail dana.ruiz@northwind-labs.io.")
                .assistant("Root cause: analytics_cdc_slot held WAL, disk at 97.3%; staging.stg_refunds lagged 4,870 ms. "
                        + "Background: 10.48550/arXiv.2503.11872.")
                .user("Thanks, that helps.").assistant("Glad to help.").build();
        String summary = "Refund RE-2026-00417 (booking KC-TRV-5521, €684.20); root cause analytics_cdc_slot filling the disk to 97.3%.";

        Compactor.Outcome o = compact(new ScriptedSummarizer().then(summary), m, CompactionMode.ALL, QualityGates.off());

        assertThat(o.gates().identifierRetention()).returns(9, IdentifierRetention::found).returns(5, IdentifierRetention::kept)
                .returns(0.556, IdentifierRetention::ratio)
                .returns(List.of("staging.stg_refunds", "4,870 ms", "10.48550/arXiv.2503.11872",
                        "dana.ruiz@northwind-labs.io"), IdentifierRetention::missing);
    }

    @Test
    void identifiersInsideAnEarlierSummaryCountButItsPackagingDoesNot() {
        String earlier = SummaryPackager.pack("Deployed build 4711 to https://ci.example.com/b/4711.", CompactionMode.ALL, "UTC",
                Instant.parse("2025-12-18T06:14:30Z"), new SummaryPackager.Stats("manual", 123456L, 65432L, 128000, 99, 12));
        List<Message> m = new Messages().system("s").summary(earlier).user("ok").assistant("fine").user("next").assistant("done").build();

        Compactor.Outcome o = compact(new ScriptedSummarizer().then("Build 4711 went to https://ci.example.com/b/4711."), m,
                CompactionMode.ALL, QualityGates.off());

        assertThat(o.gates().identifierRetention()).returns(2, IdentifierRetention::found).returns(2, IdentifierRetention::kept);
    }

    private static long[] suffix(int[] t) {
        long[] s = new long[t.length + 1];
        for (int i = t.length - 1; i >= 0; i--) {
            s[i] = s[i + 1] + t[i];
        }
        return s;
    }

    @Test
    void toolIntegrityFailsWhenACutSeparatesAResultFromItsCall() {
        List<Message> m = new Messages().system("s").user("go").call("calling", "c1", "run", "{}").assistant("meanwhile")
                .tool("c1", "late result").assistant("done").build();
        Plan bad = new Plan(CompactionMode.SLIDING_WINDOW, m, 3, m.subList(1, 3), 10, 5, 5);

        assertThat(QualityGates.toolIntegrity(bad).status()).isEqualTo(QualityGates.FAIL);
        assertThat(QualityGates.toolIntegrity(bad).resultsWithoutCall()).isEqualTo(1);
    }

    @Test
    void aSlidingCutThatWouldOrphanALateResultMovesBackToTheCall() {
        Messages b = new Messages().system("s");
        for (int i = 0; i < 3; i++) {
            b.user("u" + i).assistant("a" + i);
        }
        b.user("go").call("calling", "c1", "run", "{}").assistant("meanwhile").tool("c1", "late").assistant("done");
        for (int i = 0; i < 5; i++) {
            b.user("v" + i).assistant("b" + i);
        }
        List<Message> m = b.build();
        int[] t = new int[m.size()];
        java.util.Arrays.fill(t, 1);

        Plan plan = Planner.plan(CompactionMode.SLIDING_WINDOW, m, t, 0.3, 128_000);

        // 22 messages: Letta's cut is round(0.4 × 22) = 9 ("meanwhile"), which would strand the result
        // at 10 from its call at 8.
        assertThat(m).hasSize(22);
        assertThat(Planner.slidingCut(m, t, suffix(t), 0.3, 128_000).index()).isEqualTo(9);
        assertThat(plan.keptFrom()).isEqualTo(8);
        assertThat(m.get(8).toolCalls()).extracting(ToolCall::id).containsExactly("c1");
    }
}
