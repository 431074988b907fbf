package dev.compactor.llm;

import dev.compactor.support.Credentials;

import java.time.Duration;
import java.util.Set;

/**
 * A summarisation call failed; {@link Kind} says how, and decides the HTTP answer. Whether the
 * same call may be tried again ({@link #retryable()}) and whether another model may stand in
 * ({@link #failoverEligible()}) follow from it. Its message is scrubbed of credentials
 * ({@link Credentials}), since providers quote the key they were sent.
 */
public final class LlmException extends RuntimeException {

    /** Failure kinds, following Letta's error types where it has one. */
    public enum Kind {
        RATE_LIMIT,
        AUTHENTICATION,
        INSUFFICIENT_CREDITS,
        BAD_REQUEST,
        TIMEOUT,
        OVERLOADED,
        CONTEXT_WINDOW_EXCEEDED,
        /** The model answered with no text. */
        EMPTY_OUTPUT,
        /** The model stopped at its output-token limit, so the summary is incomplete. */
        TRUNCATED_OUTPUT,
        /** The handle names a provider this deployment does not serve. */
        UNSUPPORTED_PROVIDER,
        /** Any other provider-side failure (connection, 5xx, malformed answer). */
        PROVIDER_ERROR
    }

    /**
     * Failures of the provider rather than of the request: another model may well succeed. A bad
     * request, a context-window error (the engine's own fallbacks handle it) or a summary cut by
     * the caller's token limit would fail the same way elsewhere.
     */
    private static final Set<Kind> FAILOVER_KINDS = Set.of(Kind.RATE_LIMIT, Kind.OVERLOADED, Kind.TIMEOUT,
            Kind.PROVIDER_ERROR, Kind.EMPTY_OUTPUT, Kind.AUTHENTICATION, Kind.INSUFFICIENT_CREDITS);

    private final Kind kind;
    private final String provider;
    private final boolean retryable;
    private final Duration retryAfter;

    public LlmException(Kind kind, String provider, String message) {
        this(kind, provider, message, null, kind == Kind.RATE_LIMIT || kind == Kind.OVERLOADED, null);
    }

    public LlmException(Kind kind, String provider, String message, Throwable cause) {
        this(kind, provider, message, cause, kind == Kind.RATE_LIMIT || kind == Kind.OVERLOADED, null);
    }

    /**
     * @param retryable whether the same request may succeed if sent again (429, 5xx, a dropped connection)
     * @param retryAfter how long the provider asked us to wait, or null
     */
    public LlmException(Kind kind, String provider, String message, Throwable cause, boolean retryable, Duration retryAfter) {
        super(Credentials.scrub(message), cause);
        this.kind = kind;
        this.provider = provider;
        this.retryable = retryable;
        this.retryAfter = retryAfter;
    }

    public Kind kind() {
        return kind;
    }

    public String provider() {
        return provider;
    }

    public boolean retryable() {
        return retryable;
    }

    /** The provider's requested wait before a retry, or null. */
    public Duration retryAfter() {
        return retryAfter;
    }

    public boolean failoverEligible() {
        return FAILOVER_KINDS.contains(kind);
    }
}
