package dev.compactor.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromptLayoutTest {
    private static SummaryRequest request(String system, ChatMessage... messages) {
        return new SummaryRequest(ModelHandle.parse("bedrock/x"), system, List.of(messages), null, null, 300, null, Instant.now());
    }

    @Test
    void lettasSimpleLayoutGetsAnOpeningUserTurnOnlyWhereTheProviderNeedsOne() {
        SummaryRequest r = request("prompt", ChatMessage.of("assistant", "ack"), ChatMessage.of("user", "transcript"));

        assertThat(PromptLayout.of(r, true)).isEqualTo(new PromptLayout("prompt", List.of(
                new PromptLayout.Turn("user", PromptLayout.OPENING_USER_TURN), new PromptLayout.Turn("assistant", "ack"),
                new PromptLayout.Turn("user", "transcript"))));
        assertThat(PromptLayout.of(r, false).turns()).extracting(PromptLayout.Turn::role).containsExactly("assistant", "user");
    }

    @Test
    void aSelfCompactionConversationBecomesAlternatingTextTurns() {
        SummaryRequest r = request(null,
                ChatMessage.of("system", "You are a coding agent."),
                ChatMessage.of("user", "run the tests"),
                new ChatMessage("assistant", "Running them.", List.of(new ChatMessage.Call("c1", "bash", "{\"cmd\":\"mvn test\"}")), null, null),
                new ChatMessage("tool", "BUILD FAILURE", List.of(), "c1", "error"),
                new ChatMessage("tool", "", List.of(), "c2", "success"),
                ChatMessage.of("user", "Summarize the conversation."));

        PromptLayout layout = PromptLayout.of(r, true);

        assertThat(layout.system()).isEqualTo("You are a coding agent.");
        assertThat(layout.turns()).containsExactly(
                new PromptLayout.Turn("user", "run the tests"),
                new PromptLayout.Turn("assistant", "Running them.\n[tool call] bash({\"cmd\":\"mvn test\"})"),
                new PromptLayout.Turn("user", "[tool error] BUILD FAILURE\n\nSummarize the conversation."));
    }
}
