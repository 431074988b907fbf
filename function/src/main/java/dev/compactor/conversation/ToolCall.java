package dev.compactor.conversation;

/** An OpenAI-shaped tool call: {@code {"id", "type": "function", "function": {"name", "arguments"}}}. */
public record ToolCall(String id, String name, String arguments) {}
