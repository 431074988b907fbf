package dev.compactor.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import dev.compactor.conversation.ContentPart;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.Role;
import dev.compactor.conversation.ToolReturn;
import dev.compactor.support.JsonMapper;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LettaMessagesTest {
    static final Instant AT = Instant.parse("2026-03-01T09:15:30.123456Z");

    /** The entries as the API writes them, read back as plain JSON values. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rendered(Message m) {
        try {
            return (List<Map<String, Object>>) JsonMapper.MAPPER.readerFor(Object.class)
                    .with(DeserializationFeature.USE_LONG_FOR_INTS).readValue(ApiResponse.write(LettaMessages.render(m)));
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    private static Message message(Role role, List<ContentPart> content, String toolCallId, List<ToolReturn> returns) {
        return new Message("message-1", 3, role, content, null, toolCallId, returns, null, null, null, null, null, AT, 5);
    }

    @Test
    void everyEntryCarriesLettasCommonFieldsWithADateInSeconds() {
        Map<String, Object> user = rendered(Message.text(Role.USER, "hi").withStorage("message-9", 1, AT, 1)).get(0);

        assertThat(user).containsEntry("id", "message-9").containsEntry("date", "2026-03-01T09:15:30+00:00")
                .containsEntry("message_type", "user_message").containsEntry("content", "hi")
                .containsKeys("name", "otid", "sender_id", "step_id", "run_id", "seq_id");
    }

    @Test
    void anAssistantsReasoningAndTextAreSeparateEntriesWithConsecutivePartsMerged() {
        Message m = message(Role.ASSISTANT, List.of(
                new ContentPart.Other("reasoning", Map.of("type", "reasoning", "reasoning", "first ", "is_native", true)),
                new ContentPart.Other("reasoning", Map.of("type", "reasoning", "reasoning", "second")),
                new ContentPart.Other("redacted_reasoning", Map.of("type", "redacted_reasoning", "data", "opaque")),
                new ContentPart.Text("Hello "), new ContentPart.Text("there"),
                new ContentPart.Other("omitted_reasoning", Map.of("type", "omitted_reasoning"))), null, null);

        List<Map<String, Object>> out = rendered(m);

        assertThat(out).extracting(e -> e.get("message_type")).containsExactly("reasoning_message", "hidden_reasoning_message",
                "assistant_message", "hidden_reasoning_message");
        assertThat(out.get(0)).containsEntry("reasoning", "first second").containsEntry("source", "reasoner_model");
        assertThat(out.get(1)).containsEntry("state", "redacted").containsEntry("hidden_reasoning", "opaque");
        assertThat(out.get(2)).containsEntry("content", "Hello there");
        assertThat(out.get(3)).containsEntry("state", "omitted");
    }

    @Test
    void summarizedReasoningShowsItsSummariesTextsABlankLineApartAndAMalformedPartStillLists() {
        Message m = message(Role.ASSISTANT, List.of(
                new ContentPart.Other("summarized_reasoning", Map.of("type", "summarized_reasoning", "id", "rs_1",
                        "summary", List.of(Map.of("index", 0, "text", "Plan the cut."), "not a part", Map.of("index", 1),
                                Map.of("index", 2, "text", "Check tool pairs.")))),
                new ContentPart.Text("Done."),
                new ContentPart.Other("summarized_reasoning", Map.of("type", "summarized_reasoning", "summary", "not a list"))),
                null, null);

        List<Map<String, Object>> out = rendered(m);

        assertThat(out).extracting(e -> e.get("message_type")).containsExactly("reasoning_message", "assistant_message",
                "reasoning_message");
        assertThat(out.get(0)).containsEntry("reasoning", "Plan the cut.\n\nCheck tool pairs.");
        assertThat(out.get(2)).containsEntry("reasoning", "");
    }

    @Test
    void aLegacyToolMessageShowsLettasPackedMessageAndMultiModalReturnsKeepTheirParts() {
        Message legacy = message(Role.TOOL, List.of(new ContentPart.Text("{\"status\": \"OK\", \"message\": \"42\", \"time\": \"now\"}")),
                "call_1", null);
        List<Object> parts = List.of(Map.of("type", "text", "text", "a chart"), Map.of("type", "image", "source", Map.of()));
        Message multi = message(Role.TOOL, List.of(), null, List.of(new ToolReturn("call_2", "success", parts, null, null)));

        assertThat(rendered(legacy).get(0)).containsEntry("tool_return", "42").containsEntry("tool_call_id", "call_1")
                .containsEntry("status", "success");
        Map<String, Object> rendered = rendered(multi).get(0);
        assertThat(rendered).containsEntry("tool_return", "a chart");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> returns = (List<Map<String, Object>>) rendered.get("tool_returns");
        assertThat(returns).singleElement().satisfies(r -> assertThat(r).containsEntry("tool_return", parts)
                .containsEntry("type", "tool"));
    }

    @Test
    void aSummaryIsAUserMessageHoldingThePackedSystemAlertAsLettasListsRenderIt() {
        String packed = "{\n  \"type\": \"system_alert\",\n  \"message\": \"Note: …\",\n  \"time\": \"t\",\n"
                + "  \"compaction_stats\": {\"trigger\": \"manual\", \"messages_count_before\": 40}\n}";

        List<Map<String, Object>> out = rendered(message(Role.SUMMARY, List.of(new ContentPart.Text(packed)), null, null));

        assertThat(out).singleElement().satisfies(entry -> assertThat(entry).containsEntry("message_type", "user_message")
                .containsEntry("content", packed).containsEntry("id", "message-1").doesNotContainKeys("summary", "compaction_stats"));
    }

    @Test
    void aUserMessageWithSeveralPartsKeepsTheParts() {
        Message m = message(Role.USER, List.of(new ContentPart.Text("look"),
                new ContentPart.Image(Map.of("type", "image", "source", Map.of("type", "url", "url", "https://x/y.png")))), null, null);

        assertThat(rendered(m).get(0).get("content")).isEqualTo(List.of(Map.of("type", "text", "text", "look"),
                Map.of("type", "image", "source", Map.of("type", "url", "url", "https://x/y.png"))));
    }
}
