package dev.compactor.compaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.compactor.compaction.CompactorTest.ScriptedSummarizer;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.ToolCall;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DryRunTest {

    private static Compactor.Preview preview(ScriptedSummarizer s, List<Message> m, CompactionMode mode, String prompt) {
        CompactionSettings d = CompactionSettings.defaults();
        CompactionSettings settings = new CompactionSettings(null, null, prompt, false, d.clipChars(), mode,
                d.slidingWindowPercentage(), Set.of("mode"));
        return new Compactor(h -> s, MessageTokens.approximate(), CompactorTest.CLOCK).preview(new Compactor.Input(m, settings,
                CompactorTest.SUMMARIZER, CompactorTest.AGENT, 128_000, "UTC", "manual", Instant.now()));
    }

    @Test
    void previewsTheSlidingCutWithoutCallingAModel() {
        ScriptedSummarizer s = new ScriptedSummarizer();
        List<Message> m = Messages.pairs(10).build();

        Compactor.Preview p = preview(s, m, CompactionMode.SLIDING_WINDOW, null);

        assertThat(s.requests).isEmpty();
        PlanReport r = PlanReport.of(p);
        assertThat(r.dryRun()).isTrue();
        assertThat(r.mode()).isEqualTo("sliding_window");
        assertThat(r.model()).isEqualTo("anthropic/claude-haiku-4-5");
        assertThat(r.summarize().count()).isEqualTo(7);
        assertThat(r.keep().count()).isEqualTo(13);
        assertThat(r.summarize().ids()).isEqualTo(m.subList(1, 8).stream().map(Message::id).toList());
        assertThat(r.keep().ids()).isEqualTo(m.subList(8, 21).stream().map(Message::id).toList());
        assertThat(r.summarize().seqRange()).isEqualTo(List.of(1L, 7L));
        assertThat(r.systemMessageId()).isEqualTo("message-0");
        assertThat(r.promptHash()).isEqualTo(Prompts.hash(Prompts.SLIDING));
        assertThat(r.tokenCounter()).isEqualTo("o200k_base");
        assertThat(r.cut()).isEqualTo(new PlanReport.Cut(8, "message-8", 8L, "assistant"));
        assertThat(r.tokensBefore()).isGreaterThan(r.tokensAfterWithoutSummary());
    }

    @Test
    void planningFallbacksShowTheModeThatWouldRunAndKeepACustomPrompt() {
        Compactor.Preview p = preview(new ScriptedSummarizer(), Messages.pairs(1).build(), CompactionMode.SLIDING_WINDOW, "Mine.");

        assertThat(p.plan().mode()).isEqualTo(CompactionMode.ALL);
        assertThat(p.prompt()).isEqualTo("Mine.");
        assertThat(p.fallbacks()).singleElement().asString().contains("at the end of the message buffer");
    }

    @Test
    void selfModesResolveToTheAgentsModel() {
        Compactor.Preview p = preview(new ScriptedSummarizer(), Messages.pairs(3).build(), CompactionMode.SELF_COMPACT_ALL, null);

        assertThat(p.model()).isEqualTo(CompactorTest.AGENT);
        PlanReport r = PlanReport.of(p);
        assertThat(r.summarizerReadsSystemMessage()).isTrue();
        assertThat(r.cut()).isNull();
    }

    @Test
    void protectedGroupsNameThePendingApprovalAndTheToolCallsAtTheCut() {
        List<Message> m = Messages.pairs(2).assistant("Need approval", "s9")
                .approvalRequest("s9", new ToolCall("call_9", "deploy", "{}")).build();
        List<PlanReport.Group> all = PlanReport.of(preview(new ScriptedSummarizer(), m, CompactionMode.ALL, null)).protectedGroups();
        assertThat(all).containsExactly(new PlanReport.Group("pending_approval", List.of("message-5", "message-6")));

        Messages b = new Messages().system("s");
        for (int i = 0; i < 4; i++) {
            b.user("u" + i).call("c", "call_" + i, "run", "{}").tool("call_" + i, "r" + i);
        }
        List<Message> tools = b.user("last").assistant("bye").build();
        List<PlanReport.Group> sliding = PlanReport.of(
                preview(new ScriptedSummarizer(), tools, CompactionMode.SLIDING_WINDOW, null)).protectedGroups();
        assertThat(sliding).singleElement().satisfies(g -> {
            assertThat(g.reason()).isEqualTo("tool_calls_at_cut");
            assertThat(g.ids()).hasSize(2);
        });
    }

    @Test
    void nothingToCompactIsStillLettas400() {
        assertThatThrownBy(() -> preview(new ScriptedSummarizer(), new Messages().system("s").build(), CompactionMode.ALL, null))
                .isInstanceOf(NothingToCompactException.class);
    }

    @Test
    void longIdListsAreCappedButCountsAndRangesAreExact() {
        List<Message> m = Messages.pairs(1500).build();

        PlanReport.Section r = PlanReport.of(preview(new ScriptedSummarizer(), m, CompactionMode.ALL, null)).summarize();

        assertThat(r.count()).isEqualTo(3000);
        assertThat(r.idsTruncated()).isTrue();
        assertThat(r.seqRange()).isEqualTo(List.of(1L, 3000L));
        assertThat(r.ids()).hasSize(PlanReport.IDS_SHOWN);
    }
}
