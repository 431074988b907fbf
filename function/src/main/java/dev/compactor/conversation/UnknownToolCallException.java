package dev.compactor.conversation;

/**
 * A tool result answers no tool call of the closest preceding assistant or approval message that
 * made tool calls; nothing was stored.
 *
 * @param index position of the offending message in the appended batch
 */
public final class UnknownToolCallException extends RuntimeException {
    private final int index;
    private final String toolCallId;

    public UnknownToolCallException(int index, String toolCallId) {
        super("tool_call_id '" + toolCallId + "' answers no tool call of the preceding assistant or approval message");
        this.index = index;
        this.toolCallId = toolCallId;
    }

    public int index() {
        return index;
    }

    public String toolCallId() {
        return toolCallId;
    }
}
