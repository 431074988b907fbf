package dev.compactor.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ToolCallPairingTest {

    private static Message calls(Role role, String... ids) {
        return new Message(null, 0, role, List.of(), List.of(ids).stream().map(id -> new ToolCall(id, "f", "{}")).toList(),
                null, null, null, null, null, null, null, null, null);
    }

    private static Message result(String toolCallId) {
        return new Message(null, 0, Role.TOOL, List.of(new ContentPart.Text("ok")), null, toolCallId, null, null, null, null,
                null, null, null, null);
    }

    @Test
    void resultsAnswerTheClosestPrecedingToolCalls() {
        List<Message> batch = List.of(calls(Role.ASSISTANT, "a", "b"), result("a"), result("b"), calls(Role.APPROVAL, "c"),
                result("c"));

        assertThat(ToolCallPairing.needsHistory(batch)).isFalse();
        assertThatCode(() -> ToolCallPairing.check(Set.of(), batch)).doesNotThrowAnyException();
    }

    @Test
    void aResultForAnEarlierMessagesCallIsRefused() {
        List<Message> batch = List.of(calls(Role.ASSISTANT, "a"), result("a"), calls(Role.ASSISTANT, "b"), result("a"));

        assertThatThrownBy(() -> ToolCallPairing.check(Set.of(), batch)).isInstanceOfSatisfying(UnknownToolCallException.class,
                e -> {
                    assertThat(e.index()).isEqualTo(3);
                    assertThat(e.toolCallId()).isEqualTo("a");
                });
    }

    @Test
    void leadingResultsAnswerTheCallsAlreadyInTheConversation() {
        List<Message> batch = List.of(result("x"), Message.text(Role.USER, "thanks"));

        assertThat(ToolCallPairing.needsHistory(batch)).isTrue();
        assertThatCode(() -> ToolCallPairing.check(Set.of("x"), batch)).doesNotThrowAnyException();
        assertThatThrownBy(() -> ToolCallPairing.check(Set.of("y"), batch)).isInstanceOf(UnknownToolCallException.class);
    }
}
