package dev.compactor.conversation;

import java.util.List;

/**
 * What an append stored, and the conversation's head as that append left it (its token estimate,
 * thresholds and due state), so the caller learns whether compaction is due without reading again.
 */
public record Appended(List<Message> messages, ConversationHead head) {
    public Appended {
        messages = List.copyOf(messages);
    }
}
