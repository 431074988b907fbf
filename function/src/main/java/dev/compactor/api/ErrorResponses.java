package dev.compactor.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.compactor.compaction.ContextOverflowException;
import dev.compactor.compaction.DeadlineExceededException;
import dev.compactor.compaction.NothingToCompactException;
import dev.compactor.compaction.QualityGateException;
import dev.compactor.conversation.AgentNotFoundException;
import dev.compactor.conversation.CompactionNotFoundException;
import dev.compactor.conversation.CompactionReport;
import dev.compactor.conversation.ConcurrentCompactionException;
import dev.compactor.conversation.ConversationNotFoundException;
import dev.compactor.conversation.IdempotencyConflictException;
import dev.compactor.conversation.IdempotencyKeyReusedException;
import dev.compactor.conversation.MessageTooLargeException;
import dev.compactor.conversation.NotRevertibleException;
import dev.compactor.input.InvalidInputException;
import dev.compactor.input.PythonRepr;
import dev.compactor.llm.LlmException;
import java.util.Locale;

/** Maps failures to Letta's status codes and bodies. Anything unexpected is a 500 with no internals. */
final class ErrorResponses {
    private ErrorResponses() {}

    /** Letta's common error body. */
    record Detail(String detail) {}

    /** FastAPI's 422 as Letta answers it: the validation errors as Python's repr of their list. */
    @JsonPropertyOrder({"trace_id", "detail"})
    record Invalid(@JsonProperty("trace_id") String traceId, String detail) {}

    /** Ours: the summary failed an enforced quality gate; which gates, with their figures. */
    @JsonPropertyOrder({"detail", "gates"})
    record GateFailed(String detail, CompactionReport.Gates gates) {}

    /** Letta's LLM error shape. */
    record LlmError(Error error) {
        @JsonPropertyOrder({"type", "message", "detail"})
        record Error(String type, String message, String detail) {}
    }

    static ApiResponse of(RuntimeException e, String traceId) {
        return switch (e) {
            case ApiException api -> ApiResponse.json(api.status(), api.body());
            case InvalidInputException invalid ->
                    ApiResponse.json(422, new Invalid(traceId == null ? "" : traceId, PythonRepr.errors(invalid.errors())));
            case ConversationNotFoundException nf -> ApiResponse.json(404, new Detail(nf.getMessage()));
            case AgentNotFoundException nf -> ApiResponse.json(404, new Detail(nf.getMessage()));
            case NothingToCompactException n -> ApiResponse.json(400, new Detail(n.getMessage()));
            case ConcurrentCompactionException c -> ApiResponse.json(409, new Detail(c.getMessage()));
            case CompactionNotFoundException nf -> ApiResponse.json(404, new Detail(nf.getMessage()));
            case NotRevertibleException n -> ApiResponse.json(409, new Detail(n.getMessage()));
            case MessageTooLargeException big -> ApiResponse.json(413, new Detail(big.getMessage()));
            case IdempotencyKeyReusedException reused -> ApiResponse.json(422, new Detail(reused.getMessage()));
            case IdempotencyConflictException busy -> {
                ApiResponse conflict = ApiResponse.json(409, new Detail(busy.getMessage()));
                // Whole seconds, rounded up, so a retry then finds the holder finished or its lease run out.
                yield busy.retryAfter() == null ? conflict : conflict.withHeader("Retry-After",
                        String.valueOf(Math.max(1, (busy.retryAfter().toMillis() + 999) / 1000)));
            }
            case LlmException llm -> llm(llm);
            case QualityGateException gate -> {
                // The model answered, but its summary failed an enforced quality gate: an unusable
                // upstream answer, like an empty one (502); nothing was written.
                yield ApiResponse.json(502, new GateFailed(gate.getMessage(), gate.report()));
            }
            case DeadlineExceededException late -> ApiResponse.json(504, new Detail(late.getMessage()));
            // A summary too long for the window is an unusable upstream answer (502); a context too
            // long without any summary is the request's (Letta's context-window 400).
            case ContextOverflowException over -> ApiResponse.json(over.summaryAtFault() ? 502 : 400,
                    new Detail((over.summaryAtFault() ? "" : "CONTEXT_WINDOW_EXCEEDED: ") + over.getMessage()));
            default -> ApiResponse.json(500, new Detail("An unknown error occurred"));
        };
    }

    /**
     * A short name for what went wrong, for usage records, log lines and metrics: the provider
     * error's kind, else the failure's nature by its status.
     */
    static String type(RuntimeException e, int status) {
        return switch (e) {
            case LlmException llm -> "llm_" + llm.kind().name().toLowerCase(Locale.ROOT);
            case QualityGateException gate -> "quality_gate";
            case DeadlineExceededException late -> "deadline_exceeded";
            case ContextOverflowException over -> "context_overflow";
            default -> switch (status) {
                case 400 -> "bad_request";
                case 404 -> "not_found";
                case 409 -> "conflict";
                case 413 -> "too_large";
                case 422 -> "invalid_input";
                default -> status >= 500 ? "internal_error" : "client_error";
            };
        };
    }

    /** Letta's LLM error shapes (reference §1.7). */
    private static ApiResponse llm(LlmException e) {
        return switch (e.kind()) {
            case RATE_LIMIT -> typed(429, "llm_rate_limit", LlmMessages.RATE_LIMIT, e);
            case AUTHENTICATION -> typed(401, "llm_authentication", LlmMessages.AUTHENTICATION, e);
            case INSUFFICIENT_CREDITS -> typed(402, "llm_insufficient_credits", LlmMessages.INSUFFICIENT_CREDITS, e);
            case BAD_REQUEST -> typed(400, "llm_bad_request", LlmMessages.BAD_REQUEST, e);
            case TIMEOUT -> typed(504, "llm_timeout", LlmMessages.TIMEOUT, e);
            case OVERLOADED -> ApiResponse.json(503, new Detail(e.getMessage()));
            case CONTEXT_WINDOW_EXCEEDED -> ApiResponse.json(400, new Detail("CONTEXT_WINDOW_EXCEEDED: " + e.getMessage()));
            case UNSUPPORTED_PROVIDER -> ApiResponse.json(422, new Detail(e.getMessage()));
            case EMPTY_OUTPUT, TRUNCATED_OUTPUT, PROVIDER_ERROR -> typed(502, "llm_error", LlmMessages.OTHER, e);
        };
    }

    /**
     * Letta's fixed {@code message} per LLM error type; what went wrong is in {@code detail}, as in
     * Letta. Provider keys are the deployment's, not the caller's, so the rate-limit and credit
     * texts are Letta's for its own (non-BYOK) keys.
     */
    static final class LlmMessages {
        static final String RATE_LIMIT = "Rate limit exceeded for LLM model provider. Please wait before making another request.";
        static final String AUTHENTICATION = "Authentication failed with the LLM model provider.";
        static final String INSUFFICIENT_CREDITS = "Insufficient credits for LLM request. Please check your account.";
        static final String BAD_REQUEST = "The request to the LLM model provider was invalid.";
        static final String TIMEOUT = "The LLM request timed out. Please try again.";
        static final String OTHER = "An error occurred with the LLM request.";

        private LlmMessages() {}
    }

    private static ApiResponse typed(int status, String type, String message, LlmException e) {
        return ApiResponse.json(status, new LlmError(new LlmError.Error(type, message, e.getMessage())));
    }
}
