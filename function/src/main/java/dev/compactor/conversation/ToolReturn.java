package dev.compactor.conversation;

import java.util.List;

/**
 * One entry of a tool message's {@code tool_returns}. {@code funcResponse} keeps Letta's two
 * shapes: a string, or a list of content parts.
 */
public record ToolReturn(String toolCallId, String status, Object funcResponse, List<String> stdout, List<String> stderr) {}
