package dev.compactor.conversation;

/** A conversation whose context passed its compaction threshold. */
public record DueConversation(String tenant, String conversationId, long contextTokens) {}
