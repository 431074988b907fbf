package dev.compactor.local.testing;

import dev.compactor.support.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/** API Gateway proxy events for handler tests: a route with its parameters, the authorizer's tenant, headers and a body. */
public final class ApiEvents {
    private final Map<String, Object> event = new LinkedHashMap<>();
    private final Map<String, Object> context = new LinkedHashMap<>();
    private final Map<String, String> params = new LinkedHashMap<>();
    private final Map<String, String> query = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();

    private ApiEvents(String tenant, String method, String resource) {
        event.put("resource", resource);
        event.put("httpMethod", method);
        context.put("authorizer", Map.of("tenant", tenant));
    }

    public static ApiEvents of(String tenant, String method, String resource) {
        return new ApiEvents(tenant, method, resource);
    }

    public ApiEvents param(String name, String value) {
        params.put(name, value);
        return this;
    }

    public ApiEvents query(String name, String value) {
        query.put(name, value);
        return this;
    }

    public ApiEvents header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    ApiEvents requestId(String id) {
        context.put("requestId", id);
        return this;
    }

    /** When API Gateway received the request (its integration timeout runs from about then). */
    public ApiEvents receivedAt(long epochMillis) {
        context.put("requestTimeEpoch", epochMillis);
        return this;
    }

    /** @param body a value to send as JSON, or null for none */
    public String body(Object body) {
        String path = (String) event.get("resource");
        for (Map.Entry<String, String> p : params.entrySet()) {
            path = path.replace("{" + p.getKey() + "}", p.getValue());
        }
        event.put("path", path);
        event.put("pathParameters", params);
        event.put("queryStringParameters", query.isEmpty() ? null : query);
        event.put("headers", headers);
        event.put("requestContext", context);
        event.put("body", body == null ? null : Json.write(body));
        return Json.write(event);
    }
}
