package dev.compactor.api;

import dev.compactor.support.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * An API Gateway REST proxy event (payload format 1.0), reduced to what the routes read.
 *
 * @param resource the matched resource template, e.g. {@code /v1/conversations/{conversation_id}/compact}
 * @param headers header names lower-cased (HTTP header names are case-insensitive)
 * @param authorizer the authorizer's context values (empty without an authorizer)
 * @param requestTimeEpoch when API Gateway received the request (epoch milliseconds), or null
 */
public record ApiRequest(
        String method,
        String resource,
        String path,
        Map<String, String> pathParameters,
        Map<String, List<String>> query,
        Map<String, String> headers,
        String body,
        String requestId,
        Map<String, Object> authorizer,
        Long requestTimeEpoch) {

    @SuppressWarnings("unchecked")
    public static ApiRequest fromEvent(Map<String, Object> event) {
        Map<String, Object> context = event.get("requestContext") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        String body = (String) event.get("body");
        if (body != null && Boolean.TRUE.equals(event.get("isBase64Encoded"))) {
            body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
        }
        Map<String, String> headers = new TreeMap<>();
        if (event.get("headers") instanceof Map<?, ?> h) {
            h.forEach((k, v) -> headers.put(String.valueOf(k).toLowerCase(Locale.ROOT), v == null ? null : String.valueOf(v)));
        }
        Map<String, List<String>> query = new HashMap<>();
        if (event.get("multiValueQueryStringParameters") instanceof Map<?, ?> mq) {
            mq.forEach((k, v) -> query.put(String.valueOf(k), ((List<Object>) v).stream().map(String::valueOf).toList()));
        } else if (event.get("queryStringParameters") instanceof Map<?, ?> q) {
            q.forEach((k, v) -> query.put(String.valueOf(k), List.of(String.valueOf(v))));
        }
        Map<String, String> params = new HashMap<>();
        if (event.get("pathParameters") instanceof Map<?, ?> p) {
            p.forEach((k, v) -> params.put(String.valueOf(k), String.valueOf(v)));
        }
        Map<String, Object> authorizer = context.get("authorizer") instanceof Map<?, ?> a ? (Map<String, Object>) a : Map.of();
        String method = String.valueOf(event.getOrDefault("httpMethod", context.getOrDefault("httpMethod", "GET")));
        String resource = (String) event.getOrDefault("resource", context.get("resourcePath"));
        String path = (String) event.getOrDefault("path", context.get("path"));
        String requestId = (String) context.get("requestId");
        Long requestTime = context.get("requestTimeEpoch") instanceof Number n ? n.longValue() : null;
        return new ApiRequest(method.toUpperCase(Locale.ROOT), resource, path, params, query, headers, body, requestId,
                authorizer, requestTime);
    }

    /** The first value of a query-string parameter, or null when absent. */
    public String queryParameter(String name) {
        List<String> values = query == null ? null : query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public static ApiRequest fromJson(String eventJson) {
        return fromEvent(Json.parseObject(eventJson));
    }
}
