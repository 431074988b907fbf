package dev.compactor.compaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.compactor.compaction.CompactorTest.ScriptedSummarizer;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.ToolCall;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
        Map<String, Object> r = PlanReport.of(p);
        assertThat(r).containsEntry("dry_run", true).containsEntry("mode", "sliding_window").containsEntry("model", "anthropic/claude-haiku-4-5")
                .containsEntry("summarize_count", 7).containsEntry("keep_count", 13)
                .containsEntry("summarize_ids", m.subList(1, 8).stream().map(Message::id).toList())
                .containsEntry("keep_ids", m.subList(8, 21).stream().map(Message::id).toList())
                .containsEntry("summarize_seq_range", List.of(1L, 7L)).containsEntry("system_message_id", "message-0")
                .containsEntry("prompt_hash", Prompts.hash(Prompts.SLIDING)).containsEntry("token_counter", "o200k_base");
        assertThat(r.get("cut")).isEqualTo(Map.of("index", 8, "message_id", "message-8", "seq", 8L, "role", "assistant"));
        assertThat((long) r.get("tokens_before")).isGreaterThan((long) r.get("tokens_after_without_summary"));
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
        assertThat(PlanReport.of(p)).containsEntry("summarizer_reads_system_message", true).containsEntry("cut", null);
    }

    @Test
    void protectedGroupsNameThePendingApprovalAndTheToolCallsAtTheCut() {
        List<Message> m = Messages.pairs(2).assistant("Need approval", "s9")
                .approvalRequest("s9", new ToolCall("call_9", "deploy", "{}")).build();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> all = (List<Map<String, Object>>) PlanReport.of(
                preview(new ScriptedSummarizer(), m, CompactionMode.ALL, null)).get("protected_groups");
        assertThat(all).containsExactly(Map.of("reason", "pending_approval", "ids", List.of("message-5", "message-6")));

        Messages b = new Messages().system("s");
        for (int i = 0; i < 4; i++) {
            b.user("u" + i).call("c", "call_" + i, "run", "{}").tool("call_" + i, "r" + i);
        }
        List<Message> tools = b.user("last").assistant("bye").build();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> sliding = (List<Map<String, Object>>) PlanReport.of(
                preview(new ScriptedSummarizer(), tools, CompactionMode.SLIDING_WINDOW, null)).get("protected_groups");
        assertThat(sliding).singleElement().satisfies(g -> {
            assertThat(g).containsEntry("reason", "tool_calls_at_cut");
            assertThat((List<?>) g.get("ids")).hasSize(2);
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

        Map<String, Object> r = PlanReport.of(preview(new ScriptedSummarizer(), m, CompactionMode.ALL, null));

        assertThat(r).containsEntry("summarize_count", 3000).containsEntry("summarize_ids_truncated", true)
                .containsEntry("summarize_seq_range", List.of(1L, 3000L));
        assertThat((List<?>) r.get("summarize_ids")).hasSize(PlanReport.IDS_SHOWN);
    }
}
