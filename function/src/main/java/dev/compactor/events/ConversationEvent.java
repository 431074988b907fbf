package dev.compactor.events;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * An event published to Amazon EventBridge after a change to a conversation has committed: its
 * {@code detail}. Events name the conversation and count what changed; they never carry message
 * or summary text.
 */
public sealed interface ConversationEvent permits CompactionCommitted, CompactionReverted, ConversationPurged {
    /** The events' {@code source}. */
    String SOURCE = "compactor";

    /** The event's {@code detail-type}. */
    @JsonIgnore
    String detailType();

    String tenant();

    String conversationId();
}
