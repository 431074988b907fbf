package dev.compactor.compaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.compactor.compaction.CompactorTest.ScriptedSummarizer;
import dev.compactor.conversation.Message;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Where our sliding window would not reduce the message count but Letta's would have compacted
 * (it falls back to {@code all} at the last step, and it does not move the cut back for tool
 * results), the sliding window falls back to {@code all} instead of answering 400. Where Letta
 * answers 400 too, so do we.
 */
class SlidingFallbackTest {
    private static final int WINDOW = 128_000;

    private static int[] tokens(List<Message> m, int each) {
        int[] t = new int[m.size()];
        Arrays.fill(t, each);
        return t;
    }

    private static CompactionSettings percentage(double p) {
        CompactionSettings d = CompactionSettings.defaults();
        return new CompactionSettings(null, null, null, false, d.clipChars(), CompactionMode.SLIDING_WINDOW, p,
                Set.of("sliding_window_percentage"));
    }

    private static Compactor.Input input(List<Message> m, CompactionSettings settings, int window) {
        return new Compactor.Input(m, settings, CompactorTest.SUMMARIZER, CompactorTest.AGENT, window, "UTC", Compactor.MANUAL_TRIGGER,
                Instant.now().plusSeconds(30));
    }

    private static Compactor compactor() {
        return new Compactor(h -> new ScriptedSummarizer(), MessageTokens.approximate(), CompactorTest.CLOCK);
    }

    @Test
    void fourMessagesAtNinetyPercentCompactInAllAsLettaDoes() {
        List<Message> m = Messages.pairs(1).user("and one more").build();

        assertThatThrownBy(() -> Planner.plan(CompactionMode.SLIDING_WINDOW, m, tokens(m, 1), 0.9, WINDOW))
                .isInstanceOf(PlanningException.class);
        Compactor.Outcome outcome = compactor().compact(input(m, percentage(0.9), WINDOW));
        Compactor.Preview preview = compactor().preview(input(m, percentage(0.9), WINDOW));

        assertThat(outcome.plan().mode()).isEqualTo(CompactionMode.ALL);
        assertThat(outcome.plan().numBefore()).isEqualTo(4);
        assertThat(outcome.plan().numAfter()).isEqualTo(2);
        assertThat(preview.plan().mode()).isEqualTo(CompactionMode.ALL);
        assertThat(preview.plan().numAfter()).isEqualTo(2);
    }

    @Test
    void aLastStepCutThatWouldNotReduceFallsBackInLongerContextsToo() {
        // Only the assistant message at 2 is a valid cut: kept from 2 leaves 2 + 4 = 6 of 6.
        List<Message> m = new Messages().system("s").user("u1").assistant("a").user("u2").user("u3").user("u4").build();

        Compactor.Outcome outcome = compactor().compact(input(m, percentage(0.9), WINDOW));

        assertThat(outcome.plan().mode()).isEqualTo(CompactionMode.ALL);
        assertThat(outcome.plan().numAfter()).isEqualTo(2);
        assertThat(outcome.fallbacks()).singleElement().asString().contains("would not reduce");
    }

    @Test
    void aLastStepCutThatReducesIsStillAccepted() {
        // Our decision, kept: Letta falls back to all here; the cut meets the goal, so it stands.
        List<Message> m = Messages.pairs(10).user("more").build();

        Compactor.Outcome outcome = compactor().compact(input(m, percentage(0.9), WINDOW));

        assertThat(outcome.plan().mode()).isEqualTo(CompactionMode.SLIDING_WINDOW);
        assertThat(outcome.plan().keptFrom()).isEqualTo(20);
    }

    @Test
    void aCutMovedBackForAToolResultFallsBackWhereLettasCutWouldHaveReduced() {
        // Letta cuts at 3 (the tail's tokens fit from there) and keeps 5 of 6; keeping the result at 4
        // with its call at 2 leaves all 6, so we run all instead of answering 400.
        List<Message> m = new Messages().system("s").user("u").call("", "c1", "lookup", "{}").assistant("a").tool("c1", "r")
                .user("u2").build();
        int[] t = {1, 1, 8_000, 1, 1, 1};
        long[] suffix = new long[t.length + 1];
        for (int i = t.length - 1; i >= 0; i--) {
            suffix[i] = suffix[i + 1] + t[i];
        }

        assertThat(Planner.slidingCut(m, t, suffix, 0.3, 10_000)).isEqualTo(new Planner.Cut(3, false));
        assertThatThrownBy(() -> Planner.plan(CompactionMode.SLIDING_WINDOW, m, t, 0.3, 10_000))
                .isInstanceOf(PlanningException.class).hasMessageContaining("would not reduce");
    }

    @Test
    void whereLettasOwnCutWouldNotReduceItIsLettas400() {
        // Letta stops at the cut at 2 before the last step: it summarises one message and answers 400.
        List<Message> m = new Messages().system("s").user("u1").assistant("a").user("u2").user("u3").user("u4").build();

        assertThatThrownBy(() -> compactor().compact(input(m, percentage(0.3), WINDOW)))
                .isInstanceOf(NothingToCompactException.class);
    }
}
