package dev.compactor.conversation;

/**
 * A compaction an SDK call committed, as a resend of the call finds it: the answer it got and
 * the conversation's compaction generation it left.
 */
public record CommittedCall(String conversationId, long generation, String responseJson) {}
