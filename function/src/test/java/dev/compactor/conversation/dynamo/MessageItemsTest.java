package dev.compactor.conversation.dynamo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.compactor.conversation.ContentPart;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.Role;
import dev.compactor.conversation.ToolCall;
import dev.compactor.conversation.ToolReturn;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Message items read back exactly as they were stored, by the one-pass body reader. */
class MessageItemsTest {
    private static final Instant AT = Instant.parse("2026-12-05T12:01:34.123456Z");

    private static Message stored(Message m) {
        return m.withStorage("message-" + m.seq(), m.seq(), AT, 42);
    }

    private static Message roundTrip(Message m) {
        return MessageItems.message(MessageItems.item("T#acme#C#conv-1", m));
    }

    @Test
    void everyFieldAndPartTypeComesBackEqual() {
        Map<String, Object> image = new LinkedHashMap<>();
        image.put("type", "image");
        image.put("source", Map.of("type", "url", "url", "https://example.com/a.png", "width", 640L, "scale", 1.5));
        Map<String, Object> call = new LinkedHashMap<>();
        call.put("type", "tool_call");
        call.put("id", "call_1");
        call.put("name", "read_file");
        call.put("input", Map.of("path", "src/Main.java", "lines", List.of(1L, 20L)));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("type", "tool_return");
        result.put("tool_call_id", "call_1");
        result.put("content", "ok");
        result.put("is_error", true);
        Map<String, Object> reasoning = Map.of("type", "reasoning", "reasoning", "Think — carefully.", "signature", "sig");
        List<Message> messages = List.of(
                new Message(null, 1, Role.USER, List.of(new ContentPart.Text("Résumé ✓ \"quoted\"\n"), new ContentPart.Image(image)),
                        null, null, null, null, "alice", null, null, null, null, null),
                new Message(null, 2, Role.ASSISTANT, List.of(new ContentPart.Other("reasoning", reasoning),
                        new ContentPart.ToolCall("call_1", "read_file", call.get("input"), call)),
                        List.of(new ToolCall("call_1", "read_file", "{\"path\":\"src/Main.java\"}"), new ToolCall("call_2", "ls", "")),
                        null, null, "step-1", null, null, null, null, null, null),
                new Message(null, 3, Role.TOOL, List.of(new ContentPart.ToolReturn("call_1", "ok", true,
                        result)), null, "call_1",
                        List.of(new ToolReturn("call_1", "error", "boom", List.of("out"), List.of("err 1", "err 2")),
                                new ToolReturn("call_2", "success", List.of(Map.of("type", "text", "text", "a.txt")), null, null),
                                new ToolReturn("call_3", "success", null, null, null)),
                        null, null, null, null, null, null, null),
                new Message(null, 4, Role.APPROVAL, List.of(), List.of(new ToolCall("call_9", "rm", "{}")), null, null, null, null,
                        null, null, null, null, null),
                new Message(null, 5, Role.APPROVAL, List.of(), null, null, null, null, null, false, "message-4", "not now", null, null),
                new Message(null, 0, Role.SYSTEM, List.of(new ContentPart.Text("x".repeat(5000))), null, null, null, null, null, null,
                        null, null, null, null));

        for (Message m : messages) {
            assertThat(roundTrip(stored(m))).isEqualTo(stored(m));
        }
    }

    /** Text parts were written from {@code Map.of}, whose order is the JVM's: either order reads alike. */
    @Test
    void fieldsReadInAnyOrder() {
        Map<String, AttributeValue> item = MessageItems.item("T#acme#C#conv-1", stored(Message.text(Role.USER, "hi")));
        item.put("body", AttributeValue.fromS("{\"content\":[{\"text\":\"hi\",\"type\":\"text\"}],\"tool_calls\":[{\"function\":"
                + "{\"arguments\":\"{}\",\"name\":\"ls\"},\"type\":\"function\",\"id\":\"call_1\"}],\"role\":\"assistant\"}"));

        Message read = MessageItems.message(item);

        assertThat(read.role()).isEqualTo(Role.ASSISTANT);
        assertThat(read.content()).containsExactly(new ContentPart.Text("hi"));
        assertThat(read.toolCalls()).containsExactly(new ToolCall("call_1", "ls", "{}"));
    }

    @Test
    void aCorruptBodyNamesTheItem() {
        Map<String, AttributeValue> item = MessageItems.item("T#acme#C#conv-1", stored(Message.text(Role.USER, "hi")));
        item.put("body", AttributeValue.fromS("{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":7}]}"));

        assertThatThrownBy(() -> MessageItems.message(item)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("message-0");
    }

    @Test
    void storedInstantsReadAsInstantParseReadsThem() {
        for (String text : List.of("2026-12-05T12:01:34Z", "2026-12-05T12:01:34.100Z", "2026-12-05T12:01:34.123456Z",
                "2024-02-29T23:59:59.999999999Z", "0001-01-01T00:00:00Z", "1969-12-31T23:59:59.5Z", "2026-12-05T12:01:34.12Z",
                "2026-12-05T12:01:34+01:00",
                // Instant.parse's own answer: the next day's midnight.
                "2026-12-05T24:00:00Z")) {
            assertThat(StoredInstant.parse(text)).as(text).isEqualTo(Instant.parse(text));
        }
        for (Instant instant : List.of(Instant.EPOCH, AT, Instant.ofEpochSecond(-86_401, 7), Instant.ofEpochSecond(253_402_300_799L, 10_000))) {
            assertThat(StoredInstant.parse(instant.toString())).isEqualTo(instant);
        }
        for (String text : List.of("", "2026-12-05T12:01:34xZ", "2026-12-05 12:01:34Z", "2026-13-05T12:01:34Z", "2026-02-30T00:00:00Z")) {
            assertThatThrownBy(() -> StoredInstant.parse(text)).as(text).isInstanceOf(DateTimeParseException.class);
        }
    }
}
