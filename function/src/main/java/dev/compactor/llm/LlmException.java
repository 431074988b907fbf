package dev.compactor.llm;

/** A summarisation call failed; {@link Kind} says how, and decides the HTTP answer. */
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

    private final Kind kind;
    private final String provider;

    public LlmException(Kind kind, String provider, String message) {
        super(message);
        this.kind = kind;
        this.provider = provider;
    }

    public LlmException(Kind kind, String provider, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.provider = provider;
    }

    public Kind kind() {
        return kind;
    }

    public String provider() {
        return provider;
    }
}
