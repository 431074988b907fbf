package dev.compactor.api;

import dev.compactor.compaction.ContextOverflowException;
import dev.compactor.compaction.DeadlineExceededException;
import dev.compactor.compaction.NothingToCompactException;
import dev.compactor.compaction.QualityGateException;
import dev.compactor.conversation.AgentNotFoundException;
import dev.compactor.conversation.CompactionNotFoundException;
import dev.compactor.conversation.ConcurrentCompactionException;
import dev.compactor.conversation.ConversationNotFoundException;
import dev.compactor.conversation.IdempotencyConflictException;
import dev.compactor.conversation.IdempotencyKeyReusedException;
import dev.compactor.conversation.MessageTooLargeException;
import dev.compactor.conversation.NotRevertibleException;
import dev.compactor.input.InvalidInputException;
import dev.compactor.input.PythonRepr;
import dev.compactor.llm.LlmException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Maps failures to Letta's status codes and bodies. Anything unexpected is a 500 with no internals. */
final class ErrorResponses {
    private ErrorResponses() {}

    static ApiResponse of(RuntimeException e, String traceId) {
        return switch (e) {
            case ApiException api -> ApiResponse.json(api.status(), api.body());
            case InvalidInputException invalid -> {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("trace_id", traceId == null ? "" : traceId);
                body.put("detail", PythonRepr.errors(invalid.errors()));
                yield ApiResponse.json(422, body);
            }
            case ConversationNotFoundException nf -> ApiResponse.json(404, Map.of("detail", nf.getMessage()));
            case AgentNotFoundException nf -> ApiResponse.json(404, Map.of("detail", nf.getMessage()));
            case NothingToCompactException n -> ApiResponse.json(400, Map.of("detail", n.getMessage()));
            case ConcurrentCompactionException c -> ApiResponse.json(409, Map.of("detail", c.getMessage()));
            case CompactionNotFoundException nf -> ApiResponse.json(404, Map.of("detail", nf.getMessage()));
            case NotRevertibleException n -> ApiResponse.json(409, Map.of("detail", n.getMessage()));
            case MessageTooLargeException big -> ApiResponse.json(413, Map.of("detail", big.getMessage()));
            case IdempotencyKeyReusedException reused -> ApiResponse.json(422, Map.of("detail", reused.getMessage()));
            case IdempotencyConflictException busy -> {
                ApiResponse conflict = ApiResponse.json(409, Map.of("detail", busy.getMessage()));
                // Whole seconds, rounded up, so a retry then finds the holder finished or its lease run out.
                yield busy.retryAfter() == null ? conflict : conflict.withHeader("Retry-After",
                        String.valueOf(Math.max(1, (busy.retryAfter().toMillis() + 999) / 1000)));
            }
            case LlmException llm -> llm(llm);
            case QualityGateException gate -> {
                // The model answered, but its summary failed an enforced quality gate: an unusable
                // upstream answer, like an empty one (502); nothing was written.
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("detail", gate.getMessage());
                body.put("gates", gate.report().toJson());
                yield ApiResponse.json(502, body);
            }
            case DeadlineExceededException late -> ApiResponse.json(504, Map.of("detail", late.getMessage()));
            // A summary too long for the window is an unusable upstream answer (502); a context too
            // long without any summary is the request's (Letta's context-window 400).
            case ContextOverflowException over -> ApiResponse.json(over.summaryAtFault() ? 502 : 400,
                    Map.of("detail", (over.summaryAtFault() ? "" : "CONTEXT_WINDOW_EXCEEDED: ") + over.getMessage()));
            default -> ApiResponse.json(500, Map.of("detail", "An unknown error occurred"));
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
            case RATE_LIMIT -> typed(429, "llm_rate_limit", e);
            case AUTHENTICATION -> typed(401, "llm_authentication", e);
            case INSUFFICIENT_CREDITS -> typed(402, "llm_insufficient_credits", e);
            case BAD_REQUEST -> typed(400, "llm_bad_request", e);
            case TIMEOUT -> typed(504, "llm_timeout", e);
            case OVERLOADED -> ApiResponse.json(503, Map.of("detail", e.getMessage()));
            case CONTEXT_WINDOW_EXCEEDED -> ApiResponse.json(400, Map.of("detail", "CONTEXT_WINDOW_EXCEEDED: " + e.getMessage()));
            case UNSUPPORTED_PROVIDER -> ApiResponse.json(422, Map.of("detail", e.getMessage()));
            case EMPTY_OUTPUT, TRUNCATED_OUTPUT, PROVIDER_ERROR -> typed(502, "llm_error", e);
        };
    }

    private static ApiResponse typed(int status, String type, LlmException e) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", type);
        error.put("message", e.getMessage());
        error.put("detail", e.provider() == null ? null : "provider: " + e.provider());
        return ApiResponse.json(status, Map.of("error", error));
    }
}
