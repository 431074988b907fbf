package dev.compactor.conversation;

import java.util.ArrayList;
import java.util.List;

/**
 * A consistent read of a conversation's context: the system message, the current summary message
 * (null when there is none) and the in-context tail, all as of {@code head}.
 */
public record Snapshot(ConversationHead head, Message system, Message summary, SummaryRecord summaryRecord, List<Message> tail) {
    public Snapshot {
        tail = List.copyOf(tail);
    }

    /** The context as the model sees it: system, summary, then the tail. */
    public List<Message> inContext() {
        List<Message> all = new ArrayList<>(tail.size() + 2);
        all.add(system);
        if (summary != null) {
            all.add(summary);
        }
        all.addAll(tail);
        return all;
    }
}
