package dev.compactor.conversation;

import dev.compactor.support.Sha256;
import java.util.Optional;

/**
 * Which tenant an API key belongs to. Keys are stored only as their SHA-256: the store never
 * holds a key that could be used, and a key is found by hashing what the caller presents.
 */
public interface ApiKeyStore {
    /** The tenant of {@code apiKey}, or empty for a key that is not registered (or was revoked). */
    Optional<String> tenantOf(String apiKey);

    /** Registers {@code apiKey} for {@code tenant}, replacing any earlier registration of the same key. */
    void register(String apiKey, String tenant);

    /** A short, non-secret name for a key in logs: the first 12 hex digits of its SHA-256. */
    static String fingerprint(String apiKey) {
        return Sha256.hex(apiKey).substring(0, 12);
    }
}
