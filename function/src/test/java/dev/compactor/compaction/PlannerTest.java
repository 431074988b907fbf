package dev.compactor.compaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.compactor.conversation.Message;
import dev.compactor.conversation.Role;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Letta's worked examples (reference §3.1-§3.2) and our decisions where Letta differs. */
class PlannerTest {

    private static int[] tokens(List<Message> m, int each) {
        int[] t = new int[m.size()];
        java.util.Arrays.fill(t, each);
        return t;
    }

    @Test
    void slidingWindowOnTwentyOneTinyMessagesKeepsThirteenAndEndsWithFifteen() {
        List<Message> m = Messages.pairs(10).build();

        Plan plan = Planner.plan(CompactionMode.SLIDING_WINDOW, m, tokens(m, 1), 0.3, 128_000);

        assertThat(plan.keptFrom()).isEqualTo(8);
        assertThat(plan.kept()).hasSize(13).first().extracting(Message::role).isEqualTo(Role.ASSISTANT);
        assertThat(plan.span()).isEqualTo(m.subList(1, 8));
        assertThat(plan.numAfter()).isEqualTo(15);
    }

    @Test
    void slidingWindowOnSixtyFiveMessagesCutsAtTwentySix() {
        List<Message> m = Messages.pairs(32).build();

        Plan plan = Planner.plan(CompactionMode.SLIDING_WINDOW, m, tokens(m, 1), 0.3, 128_000);

        assertThat(plan.keptFrom()).isEqualTo(26);
        assertThat(plan.numAfter()).isEqualTo(41);
    }

    @Test
    void slidingWindowGrowsInTenPercentStepsUntilTheTailFits() {
        List<Message> m = Messages.pairs(10).build();

        // 1000 tokens a message, window 10000, goal 7000: cuts 8, 10, 12, 14, 16 leave 14000..6000 tokens.
        Plan plan = Planner.plan(CompactionMode.SLIDING_WINDOW, m, tokens(m, 1000), 0.3, 10_000);

        assertThat(plan.keptFrom()).isEqualTo(16);
        assertThat(plan.tokensAfter()).isEqualTo(6000);
        assertThat(plan.numAfter()).isEqualTo(7);
    }

    @Test
    void slidingWindowThatNeverFitsHasNoCut() {
        List<Message> m = Messages.pairs(10).build();

        assertThatThrownBy(() -> Planner.plan(CompactionMode.SLIDING_WINDOW, m, tokens(m, 100_000), 0.3, 10_000))
                .isInstanceOf(PlanningException.class).hasMessageContaining("No assistant message found");
    }

    @Test
    void slidingWindowWhoseOnlyCutIsTheLastMessageFails() {
        List<Message> m = Messages.pairs(1).build();

        assertThatThrownBy(() -> Planner.plan(CompactionMode.SLIDING_WINDOW, m, tokens(m, 1), 0.3, 128_000))
                .isInstanceOf(PlanningException.class).hasMessageContaining("index 2 is at the end");
    }

    @Test
    void aCutMeetingTheGoalOnTheLastStepIsAccepted() {
        List<Message> m = Messages.pairs(10).user("more").build();

        // p = 0.9: the first step already reaches 100% eviction; Letta rejects it, we keep the valid cut.
        Plan plan = Planner.plan(CompactionMode.SLIDING_WINDOW, m, tokens(m, 1), 0.9, 128_000);

        assertThat(plan.keptFrom()).isEqualTo(20);
        assertThat(plan.kept()).extracting(Message::role).containsExactly(Role.ASSISTANT, Role.USER);
    }

    @Test
    void allModeSummarisesEverythingButTheSystemMessage() {
        List<Message> m = Messages.pairs(3).build();

        Plan plan = Planner.plan(CompactionMode.ALL, m, tokens(m, 1), 0.3, 128_000);

        assertThat(plan.span()).isEqualTo(m.subList(1, 7));
        assertThat(plan.kept()).isEmpty();
        assertThat(plan.numAfter()).isEqualTo(2);
    }

    @Test
    void allModeKeepsAPendingApprovalAndItsSameStepAssistant() {
        List<Message> m = Messages.pairs(2).assistant("I need approval", "step-9")
                .approvalRequest("call_1", "delete_file", "{}", "step-9").build();

        Plan plan = Planner.plan(CompactionMode.ALL, m, tokens(m, 1), 0.3, 128_000);

        assertThat(plan.kept()).extracting(Message::role).containsExactly(Role.ASSISTANT, Role.APPROVAL);
        assertThat(plan.span()).isEqualTo(m.subList(1, 5));
    }

    @Test
    void allModeKeepsOnlyTheApprovalWhenTheAssistantIsFromAnotherStep() {
        List<Message> m = Messages.pairs(2).assistant("earlier", "step-1")
                .approvalRequest("call_1", "delete_file", "{}", "step-2").build();

        Plan plan = Planner.plan(CompactionMode.ALL, m, tokens(m, 1), 0.3, 128_000);

        assertThat(plan.kept()).extracting(Message::role).containsExactly(Role.APPROVAL);
    }

    @Test
    void selfModesIncludeTheSystemMessageInWhatIsSummarised() {
        List<Message> m = Messages.pairs(3).build();

        Plan plan = Planner.plan(CompactionMode.SELF_COMPACT_ALL, m, tokens(m, 1), 0.3, 128_000);

        assertThat(plan.span()).isEqualTo(m);
        assertThat(plan.kept()).isEmpty();
    }

    @Test
    void aCompactedConversationCannotBeReducedFurtherInAllMode() {
        List<Message> m = new Messages().system("s").build();
        List<Message> withSummary = new java.util.ArrayList<>(m);
        withSummary.add(Message.text(Role.SUMMARY, "{\"type\": \"system_alert\"}"));

        Plan plan = Planner.plan(CompactionMode.ALL, withSummary, tokens(withSummary, 1), 0.3, 128_000);

        assertThat(plan.reduces()).isFalse();
    }
}
