package dev.compactor.compaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.conversation.Message;
import dev.compactor.conversation.Role;
import dev.compactor.conversation.ToolCall;
import dev.compactor.input.WellFormedText;
import dev.compactor.llm.ChatMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Letta's id and tool-return truncations count characters as Python does and never split a surrogate pair. */
class LlmViewClipTest {
    @Test
    void toolCallIdsAreCutAtTwentyNineCharacters() {
        String id = "call_" + "🚀".repeat(30);
        Message call = new Message(null, 0, Role.ASSISTANT, List.of(), List.of(new ToolCall(id, "launch", "{}")), null, null,
                null, null, null, null, null, null, null);

        ChatMessage.Call converted = LlmView.convertAlone(call).get(0).toolCalls().get(0);

        assertThat(converted.id()).isEqualTo("call_" + "🚀".repeat(24));
        assertThat(WellFormedText.wellFormed(converted.id())).isTrue();
    }

    @Test
    void toolReturnsAreClampedAtWholeCharacters() {
        assertThat(LlmView.clamp("ab🚀🚀cd", 3)).isEqualTo("ab🚀... [truncated 3 chars]");
    }
}
