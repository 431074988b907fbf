package dev.compactor.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import dev.compactor.support.JsonSyntaxException;
import dev.compactor.support.LambdaEventJson;
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
 * @param authorizerTenant the tenant the authorizer put in its context, or null without an authorizer
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
        String authorizerTenant,
        Long requestTimeEpoch) {

    public static ApiRequest fromEvent(APIGatewayProxyRequestEvent event) {
        APIGatewayProxyRequestEvent.ProxyRequestContext context = event.getRequestContext() != null ? event.getRequestContext()
                : new APIGatewayProxyRequestEvent.ProxyRequestContext();
        String body = event.getBody();
        if (body != null && Boolean.TRUE.equals(event.getIsBase64Encoded())) {
            body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
        }
        Map<String, String> headers = new TreeMap<>();
        if (event.getHeaders() != null) {
            event.getHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
        }
        Map<String, List<String>> query = new HashMap<>();
        if (event.getMultiValueQueryStringParameters() != null) {
            event.getMultiValueQueryStringParameters().forEach((k, v) -> query.put(k, v == null ? List.of() : List.copyOf(v)));
        } else if (event.getQueryStringParameters() != null) {
            event.getQueryStringParameters().forEach((k, v) -> query.put(k, List.of(String.valueOf(v))));
        }
        Map<String, String> params = event.getPathParameters() == null ? new HashMap<>() : new HashMap<>(event.getPathParameters());
        // The authorizer's context is API Gateway's free-form map; the tenant is all this service reads from it.
        Object tenant = context.getAuthorizer() == null ? null : context.getAuthorizer().get("tenant");
        String method = event.getHttpMethod() != null ? event.getHttpMethod()
                : context.getHttpMethod() != null ? context.getHttpMethod() : "GET";
        String resource = event.getResource() != null ? event.getResource() : context.getResourcePath();
        String path = event.getPath() != null ? event.getPath() : context.getPath();
        return new ApiRequest(method.toUpperCase(Locale.ROOT), resource, path, params, query, headers, body,
                context.getRequestId(), tenant == null ? null : String.valueOf(tenant), context.getRequestTimeEpoch());
    }

    /** The first value of a query-string parameter, or null when absent. */
    public String queryParameter(String name) {
        List<String> values = query == null ? null : query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** @throws JsonSyntaxException when the text is not a proxy event */
    public static ApiRequest fromJson(String eventJson) {
        return fromEvent(LambdaEventJson.read(eventJson, APIGatewayProxyRequestEvent.class));
    }
}
