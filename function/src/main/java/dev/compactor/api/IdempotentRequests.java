package dev.compactor.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.compactor.conversation.IdempotencyClaim;
import dev.compactor.conversation.IdempotencyKeys;
import dev.compactor.conversation.IdempotencyOutcome;
import dev.compactor.conversation.LeaseHeartbeat;
import dev.compactor.input.FieldError;
import dev.compactor.input.InvalidInputException;
import dev.compactor.support.Json;
import dev.compactor.support.JsonMapper;
import dev.compactor.support.Sha256;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The {@code Idempotency-Key} header: a request carrying a key runs once. A repeat with the same
 * key and the same request gets the stored response (with {@code Idempotent-Replayed: true})
 * without running again; the same key with a different request is a 422; a repeat arriving while
 * the first still runs waits for it, as long as the first keeps its lease alive (a heartbeat),
 * and takes over when the first died. A failed request leaves no record, so its retry runs.
 */
final class IdempotentRequests {
    static final String HEADER = "idempotency-key";
    static final String REPLAYED = "Idempotent-Replayed";
    static final int MAX_KEY_LENGTH = 255;
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]+");
    private static final ObjectWriter BY_KEY = JsonMapper.MAPPER.writer().with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private final IdempotencyKeys store;

    IdempotentRequests(IdempotencyKeys store) {
        this.store = store;
    }

    /**
     * Runs {@code work} once per key; it gets the claim to complete with its commit, or null when
     * the request has no key.
     *
     * @param body the parsed request body (part of what identifies the request)
     * @param async whether the request asked for an asynchronous job (also part of what identifies
     *     it: a replay of a submission is a 202 with the same job)
     */
    ApiResponse run(ApiRequest request, ObjectNode body, boolean async, RequestContext context,
                    Function<IdempotencyClaim, ApiResponse> work) {
        String key = request.headers().get(HEADER);
        if (key == null) {
            return work.apply(null);
        }
        validate(key);
        IdempotencyOutcome outcome = store.claim(context.tenant(), key, fingerprint(request, body, async), context.deadline());
        return switch (outcome) {
            case IdempotencyOutcome.Replay replay -> new ApiResponse(async ? 202 : 200, Map.of("Content-Type", "application/json",
                    REPLAYED, "true"), replay.responseJson());
            case IdempotencyOutcome.Claimed claimed -> {
                try (LeaseHeartbeat alive = store.heartbeat(claimed.claim())) {
                    yield work.apply(claimed.claim());
                } catch (RuntimeException e) {
                    store.release(claimed.claim());
                    throw e;
                }
            }
        };
    }

    private static void validate(String key) {
        List<Object> loc = List.of("header", HEADER);
        if (key.length() > MAX_KEY_LENGTH) {
            throw new InvalidInputException(new FieldError("string_too_long", loc,
                    "String should have at most " + MAX_KEY_LENGTH + " characters", key, Map.of("max_length", (long) MAX_KEY_LENGTH)));
        }
        if (!KEY.matcher(key).matches()) {
            throw new InvalidInputException(new FieldError("string_pattern_mismatch", loc,
                    "String should match pattern '" + KEY.pattern() + "'", key, Map.of("pattern", KEY.pattern())));
        }
    }

    /**
     * Method, route, path and query parameters, the body with its keys sorted (so whitespace and
     * key order do not matter), and for an asynchronous request that it is one.
     */
    static String fingerprint(ApiRequest request, ObjectNode body, boolean async) {
        List<Object> parts = new ArrayList<>();
        parts.add(request.method());
        parts.add(request.resource());
        parts.add(request.pathParameters());
        parts.add(request.query());
        // Plain values, not the tree: the mapper sorts maps (not tree objects) by key, and writes their floats as Python does.
        parts.add(Json.toJava(body));
        if (async) {
            parts.add("respond-async");
        }
        try {
            return Sha256.hex(BY_KEY.writeValueAsString(parts));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a request's parts are plain JSON values", e);
        }
    }
}
