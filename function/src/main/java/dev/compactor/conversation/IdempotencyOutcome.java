package dev.compactor.conversation;

/** What {@link IdempotencyKeys#claim} found for an Idempotency-Key. */
public sealed interface IdempotencyOutcome {

    /** First use of the key (or its earlier use expired or failed): run the request. */
    record Claimed(IdempotencyClaim claim) implements IdempotencyOutcome {}

    /** The key's request already completed: answer with its stored response. */
    record Replay(String responseJson) implements IdempotencyOutcome {}
}
