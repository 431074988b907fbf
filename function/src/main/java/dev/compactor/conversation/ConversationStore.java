package dev.compactor.conversation;

/**
 * Everything the DynamoDB store offers, as the wiring holds it. Callers depend on the narrow
 * interface they use: {@link AgentStore}, {@link MessageStore}, {@link CompactionHistory},
 * {@link IdempotencyKeys}, {@link DueIndex}, {@link AgentDirectory}, {@link ConversationDirectory}.
 */
public interface ConversationStore extends AgentStore, MessageStore, CompactionHistory, IdempotencyKeys, DueIndex,
        AgentDirectory, ConversationDirectory {}
