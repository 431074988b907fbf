package dev.compactor.conversation;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks that every tool result answers a tool call of the closest preceding message that made
 * tool calls (an assistant message or an approval request), as a model API requires.
 */
public final class ToolCallPairing {
    private ToolCallPairing() {}

    /** Whether a tool result in {@code batch} comes before any tool call of the batch, so history must say what it answers. */
    public static boolean needsHistory(List<Message> batch) {
        for (Message m : batch) {
            if (!m.toolCalls().isEmpty()) {
                return false;
            }
            if (m.role() == Role.TOOL) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param open the ids of the tool calls the conversation's latest tool-calling message made
     *     (empty when unknown or none)
     * @throws UnknownToolCallException at the first tool result that answers none of the open calls
     */
    public static void check(Set<String> open, List<Message> batch) {
        Set<String> calls = open;
        for (int i = 0; i < batch.size(); i++) {
            Message m = batch.get(i);
            if (!m.toolCalls().isEmpty()) {
                calls = callIds(m);
            }
            if (m.role() == Role.TOOL) {
                for (String answered : answeredIds(m)) {
                    if (!calls.contains(answered)) {
                        throw new UnknownToolCallException(i, answered);
                    }
                }
            }
        }
    }

    public static Set<String> callIds(Message m) {
        return m.toolCalls().stream().map(ToolCall::id).collect(Collectors.toSet());
    }

    private static List<String> answeredIds(Message m) {
        List<String> ids = new ArrayList<>();
        if (m.toolCallId() != null) {
            ids.add(m.toolCallId());
        }
        for (ToolReturn r : m.toolReturns()) {
            if (r.toolCallId() != null) {
                ids.add(r.toolCallId());
            }
        }
        return ids;
    }
}
