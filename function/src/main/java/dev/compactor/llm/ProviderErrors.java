package dev.compactor.llm;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.compactor.support.JsonMapper;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Provider failures in Letta's categories (reference §1.7): 429 rate limit, 401/403
 * authentication, 402 credits, 400 bad request, timeouts, 503/529 overload, and context-window
 * errors recognised by the wording each provider uses (§4.6).
 */
public final class ProviderErrors {
    /** Letta's context-window phrases for Anthropic/Bedrock and OpenAI-compatible providers, plus Gemini's and Bedrock Converse's. */
    private static final List<String> CONTEXT_WINDOW_PHRASES = List.of("prompt is too long", "exceed context limit",
            "exceeds context", "too many total text bytes", "total text bytes", "request_too_large",
            "request exceeds the maximum size", "context window exceeds limit", "exceeds the context window",
            "maximum context length", "input tokens exceed the configured limit", "exceeds the maximum allowed input length",
            "context_length_exceeded", "input is too long", "exceeds the maximum number of tokens allowed");
    private static final int MAX_MESSAGE = 500;

    private ProviderErrors() {}

    /** True when a provider's error text says the input did not fit the model's context window. */
    public static boolean isContextWindowError(String message) {
        String lower = message == null ? "" : message.toLowerCase(Locale.ROOT);
        for (String phrase : CONTEXT_WINDOW_PHRASES) {
            if (lower.contains(phrase)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A non-2xx HTTP answer, with the provider's error code and message read from the JSON error
     * body all the HTTP providers use ({@code {"error": {"message", "type"/"code"/"status"}}}).
     */
    public static LlmException fromResponse(String provider, int status, String body, Duration retryAfter) {
        String code = null;
        String message = body == null ? "" : body.strip();
        try {
            JsonNode json = JsonMapper.MAPPER.readTree(body);
            if (json.isObject()) {
                JsonNode error = json.get("error");
                JsonNode details = error != null && error.isObject() ? error : json;
                message = text(details.get("message"), message);
                code = text(details.get("code"), text(details.get("type"), text(details.get("status"), null)));
            }
        } catch (JacksonException | RuntimeException notJson) {
            // the raw body is the message
        }
        return fromStatus(provider, status, code, message, retryAfter);
    }

    /**
     * Maps a status and the provider's error code and message.
     *
     * @param code the provider's own error code or type (e.g. {@code insufficient_quota}), or null
     */
    public static LlmException fromStatus(String provider, int status, String code, String message, Duration retryAfter) {
        String text = provider + " answered " + status + ": " + shorten(message);
        String lowerCode = code == null ? "" : code.toLowerCase(Locale.ROOT);
        String lowerMessage = message == null ? "" : message.toLowerCase(Locale.ROOT);
        if (status == 413 || isContextWindowError(lowerMessage) || isContextWindowError(lowerCode)) {
            return new LlmException(LlmException.Kind.CONTEXT_WINDOW_EXCEEDED, provider, text);
        }
        if (status == 402 || lowerCode.contains("insufficient_quota") || lowerMessage.contains("credit balance")) {
            return new LlmException(LlmException.Kind.INSUFFICIENT_CREDITS, provider, text);
        }
        if (status == 503 || status == 529 || lowerCode.contains("overloaded") || lowerMessage.contains("overloaded")) {
            return new LlmException(LlmException.Kind.OVERLOADED, provider, text, null, true, retryAfter);
        }
        return switch (status) {
            case 429 -> new LlmException(LlmException.Kind.RATE_LIMIT, provider, text, null, true, retryAfter);
            case 401, 403 -> new LlmException(LlmException.Kind.AUTHENTICATION, provider, text);
            case 408, 504 -> new LlmException(LlmException.Kind.TIMEOUT, provider, text, null, true, retryAfter);
            case 400, 404, 409, 422 -> new LlmException(LlmException.Kind.BAD_REQUEST, provider, text);
            default -> new LlmException(LlmException.Kind.PROVIDER_ERROR, provider, text, null, status >= 500, retryAfter);
        };
    }

    /** The answer does not have the shape the provider documents: sending the same request again would not help. */
    public static LlmException malformed(String provider, String detail, Throwable cause) {
        return new LlmException(LlmException.Kind.PROVIDER_ERROR, provider,
                provider + " answered with a body that is not what it documents: " + detail, cause, false, null);
    }

    /** A stream that ended before its final event: the connection broke, so another attempt may succeed. */
    public static LlmException incompleteStream(String provider) {
        return new LlmException(LlmException.Kind.PROVIDER_ERROR, provider,
                provider + "'s stream ended before the answer was complete", null, true, null);
    }

    /** The connection failed or broke: worth another attempt. */
    public static LlmException connection(String provider, Throwable cause) {
        return new LlmException(LlmException.Kind.PROVIDER_ERROR, provider, "Could not reach " + provider + ": "
                + cause.getClass().getSimpleName(), cause, true, null);
    }

    /** An error event inside a 200 stream (Anthropic's {@code error} event, OpenAI's {@code response.failed}). */
    public static LlmException fromStreamError(String provider, String type, String message) {
        String lower = type == null ? "" : type.toLowerCase(Locale.ROOT);
        int status = lower.contains("rate_limit") ? 429
                : lower.contains("overloaded") ? 529
                : lower.contains("authentication") || lower.contains("permission") ? 401
                : lower.contains("invalid_request") || lower.contains("not_found") ? 400
                : lower.contains("request_too_large") ? 413
                : 500;
        return fromStatus(provider, status, type, message, null);
    }

    private static String text(JsonNode value, String fallback) {
        if (value == null || value.isNull()) {
            return fallback;
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }

    private static String shorten(String message) {
        String m = message == null || message.isBlank() ? "(no message)" : message.strip();
        return m.length() <= MAX_MESSAGE ? m : m.substring(0, MAX_MESSAGE) + "…";
    }
}
