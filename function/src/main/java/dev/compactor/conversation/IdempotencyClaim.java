package dev.compactor.conversation;

/**
 * The right to execute one Idempotency-Key request, held until the request completes (its
 * response is stored with its commit) or fails (the claim is released so a retry can run).
 *
 * @param keyHash SHA-256 of the key; keys are never stored
 * @param owner random token of the claiming request; completing or releasing requires it
 */
public record IdempotencyClaim(String tenant, String keyHash, String owner) {}
