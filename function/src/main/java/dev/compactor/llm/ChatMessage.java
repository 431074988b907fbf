package dev.compactor.llm;

import java.util.List;

/**
 * One turn of a summarisation request in provider-neutral form.
 *
 * @param role {@code system}, {@code user}, {@code assistant} or {@code tool}
 * @param status for tool results: {@code success} or {@code error}; null otherwise
 */
public record ChatMessage(String role, String text, List<Call> toolCalls, String toolCallId, String status) {
    public ChatMessage {
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        text = text == null ? "" : text;
    }

    public static ChatMessage of(String role, String text) {
        return new ChatMessage(role, text, List.of(), null, null);
    }

    /** A tool call made by the assistant. */
    public record Call(String id, String name, String arguments) {}
}
