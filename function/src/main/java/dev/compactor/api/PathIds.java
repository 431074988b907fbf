package dev.compactor.api;

import dev.compactor.conversation.Ids;
import dev.compactor.input.FieldError;
import dev.compactor.input.InvalidInputException;
import java.util.List;
import java.util.Map;

/**
 * Path ids validated as Letta's FastAPI routes validate them: an exact length ({@code prefix-}
 * plus a 36-character uuid4), then the pattern; failures are 422s located at {@code ('path', name)}.
 */
final class PathIds {
    private PathIds() {}

    static String agentId(ApiRequest request) {
        return exact(request, "agent_id", Ids.AGENT_ID, "agent".length() + 37);
    }

    static String conversationId(ApiRequest request) {
        return exact(request, "conversation_id", Ids.CONVERSATION_ID, "conv".length() + 37);
    }

    static String jobId(ApiRequest request) {
        return exact(request, "job_id", Ids.JOB_ID, "job".length() + 37);
    }

    /** A conversation id, {@code default}, or a (deprecated) agent id, as the compact route accepts. */
    static String conversationIdOrDefault(ApiRequest request) {
        String id = request.pathParameters().get("conversation_id");
        CompactRoute.validatePathId(id);
        return id;
    }

    private static String exact(ApiRequest request, String name, String pattern, int length) {
        String id = request.pathParameters().get(name);
        List<Object> loc = List.of("path", name);
        if (id == null) {
            throw new InvalidInputException(FieldError.of("missing", loc, "Field required", null));
        }
        if (id.length() < length) {
            throw new InvalidInputException(new FieldError("string_too_short", loc,
                    "String should have at least " + length + " characters", id, Map.of("min_length", (long) length)));
        }
        if (id.length() > length) {
            throw new InvalidInputException(new FieldError("string_too_long", loc,
                    "String should have at most " + length + " characters", id, Map.of("max_length", (long) length)));
        }
        if (!id.matches(pattern)) {
            throw new InvalidInputException(new FieldError("string_pattern_mismatch", loc,
                    "String should match pattern '" + pattern + "'", id, Map.of("pattern", pattern)));
        }
        return id;
    }
}
