package dev.compactor.compaction;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.compactor.llm.ChatMessage;
import java.util.List;

/**
 * A chat turn as the OpenAI-style dict Letta's approximate counter serialises: {@code role} and
 * {@code content} always (a null content too), {@code tool_calls} when there are any,
 * {@code tool_call_id} on a tool's answer, in that order.
 */
@JsonPropertyOrder({"role", "content", "tool_calls", "tool_call_id"})
@JsonInclude(JsonInclude.Include.ALWAYS)
record CountedTurn(
        String role,
        String content,
        @JsonProperty("tool_calls") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Call> toolCalls,
        @JsonProperty("tool_call_id") @JsonInclude(JsonInclude.Include.NON_NULL) String toolCallId) {

    @JsonPropertyOrder({"id", "type", "function"})
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Call(String id, String type, Function function) {}

    @JsonPropertyOrder({"name", "arguments"})
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Function(String name, String arguments) {}

    static CountedTurn of(ChatMessage m) {
        List<Call> calls = m.toolCalls().stream()
                .map(c -> new Call(c.id(), "function", new Function(c.name(), c.arguments()))).toList();
        return new CountedTurn(m.role(), m.text(), calls, m.toolCallId());
    }
}
