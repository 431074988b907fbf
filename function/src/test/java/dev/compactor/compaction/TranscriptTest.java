package dev.compactor.compaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.conversation.Message;
import java.util.List;
import org.junit.jupiter.api.Test;

class TranscriptTest {

    @Test
    void rendersLettasExampleTranscript() {
        List<Message> span = new Messages().system("sys").user("hi").call("Let me look", "call_1", "search", "{\"q\":\"x\"}")
                .tool("call_1", "42").build();

        assertThat(Transcript.render(Transcript.turns(span, null))).isEqualTo("""
                <start_transcript>
                [user] hi
                [assistant] Let me look -> search({"q":"x"})
                [tool] 42
                <end_transcript>
                . Generate the summary.""");
    }

    @Test
    void dropsAPendingApprovalRequestAndItsParallelCallPartner() {
        List<Message> span = new Messages().user("delete it").call(null, "call_1", "delete", "{}")
                .approvalRequest("call_2", "delete", "{}", "s").build();

        assertThat(Transcript.render(Transcript.turns(span, null))).isEqualTo("""
                <start_transcript>
                [user] delete it
                <end_transcript>
                . Generate the summary.""");
    }

    @Test
    void middleTruncationKeepsHeadAndTailWithinTheByteBudget() {
        String text = "a".repeat(5000) + "b".repeat(5000);

        String cut = Transcript.middleTruncate(text, 2000);

        assertThat(cut).startsWith("a".repeat(600)).endsWith("b".repeat(537))
                .contains("\n[TRUNCATED: dropped 8800 middle chars due to context budget]\n");
        assertThat(cut.length()).isLessThanOrEqualTo(2000);
        assertThat(Transcript.middleTruncate("short", 2000)).isEqualTo("short");
    }
}
