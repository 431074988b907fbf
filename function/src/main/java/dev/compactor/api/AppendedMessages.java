package dev.compactor.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.MessageCodec;
import dev.compactor.conversation.MessageStore;
import dev.compactor.conversation.Role;
import dev.compactor.input.FieldError;
import dev.compactor.input.Fields;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code messages} of an append, in Letta's {@code Message} field names, checked for what a
 * model API would reject: each role carries what it must (a user turn has content, a tool result
 * names the call it answers, an approval is a request with tool calls or a decision), and tool
 * calls appear only on assistant and approval messages.
 */
final class AppendedMessages {
    /** Letta's roles, less {@code summary}: summaries are written by compaction only. */
    static final List<String> ROLES = List.of("system", "user", "assistant", "tool", "approval");

    private AppendedMessages() {}

    static List<Message> read(ObjectNode body) {
        Fields fields = new Fields();
        List<Object> loc = List.of("body", "messages");
        ArrayNode list = list(body, loc, fields);
        List<Message> messages = new ArrayList<>();
        for (int i = 0; list != null && i < list.size(); i++) {
            List<Object> at = Fields.loc(loc, i);
            Message m = MessageCodec.fromJson(list.get(i), at, fields, ROLES);
            if (m != null) {
                checkShape(m, list.get(i), at, fields);
                messages.add(m);
            }
        }
        fields.throwIfInvalid();
        return messages;
    }

    /** The {@code messages} list, or null when it is missing, not a list, or of a size an append cannot take. */
    private static ArrayNode list(ObjectNode body, List<Object> loc, Fields fields) {
        JsonNode raw = Bodies.value(body, "messages");
        if (raw == null) {
            fields.fail(FieldError.of("missing", loc, "Field required", body));
            return null;
        }
        if (!(raw instanceof ArrayNode list)) {
            fields.fail(FieldError.of("list_type", loc, "Input should be a valid list", raw));
            return null;
        }
        if (list.isEmpty() || list.size() > MessageStore.MAX_APPEND) {
            boolean empty = list.isEmpty();
            fields.fail(new FieldError(empty ? "too_short" : "too_long", loc, empty
                    ? "List should have at least 1 item after validation, not 0"
                    : "List should have at most " + MessageStore.MAX_APPEND + " items after validation, not " + list.size(),
                    empty ? raw : list.size() + " messages", FieldError.ctx("field_type", "List",
                            empty ? "min_length" : "max_length", empty ? 1L : (long) MessageStore.MAX_APPEND,
                            "actual_length", (long) list.size())));
            return null;
        }
        return list;
    }

    private static void checkShape(Message m, JsonNode json, List<Object> loc, Fields fields) {
        boolean callsAllowed = m.role() == Role.ASSISTANT || m.role() == Role.APPROVAL;
        if (!callsAllowed && !m.toolCalls().isEmpty()) {
            fail(fields, Fields.loc(loc, "tool_calls"), json, "only assistant and approval messages can make tool calls");
        }
        if (m.role() != Role.TOOL && !m.toolReturns().isEmpty()) {
            fail(fields, Fields.loc(loc, "tool_returns"), json, "only tool messages can carry tool_returns");
        }
        switch (m.role()) {
            case USER, SYSTEM -> {
                if (m.content().isEmpty()) {
                    fail(fields, Fields.loc(loc, "content"), json, "a " + m.role().wire() + " message needs content");
                }
            }
            case ASSISTANT -> {
                if (m.content().isEmpty() && m.toolCalls().isEmpty()) {
                    fail(fields, loc, json, "an assistant message needs content or tool_calls");
                }
            }
            case TOOL -> {
                if (m.toolCallId() == null && m.toolReturns().isEmpty()) {
                    fail(fields, loc, json, "a tool message needs the tool_call_id it answers, or tool_returns");
                }
            }
            case APPROVAL -> {
                if (m.toolCalls().isEmpty() && m.approve() == null) {
                    fail(fields, loc, json, "an approval message is a request (tool_calls) or a decision (approve)");
                }
            }
            case SUMMARY -> throw new IllegalStateException("summary is not an appendable role");
        }
    }

    private static void fail(Fields fields, List<Object> loc, JsonNode input, String message) {
        fields.fail(new FieldError("value_error", loc, "Value error, " + message, input, Map.of("error", message)));
    }
}
