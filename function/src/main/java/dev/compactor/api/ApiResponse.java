package dev.compactor.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.compactor.support.JsonMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/** A proxy integration response. */
public record ApiResponse(int status, Map<String, String> headers, String body) {

    /** @param body a response record (or list of them), written as Letta writes it */
    public static ApiResponse json(int status, Object body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        return new ApiResponse(status, headers, write(body));
    }

    /** JSON text of a response body. */
    static String write(Object body) {
        try {
            return JsonMapper.MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("response body not writable: " + body.getClass().getName(), e);
        }
    }

    public ApiResponse withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new ApiResponse(status, copy, body);
    }

    /** The proxy integration's response event. */
    public APIGatewayProxyResponseEvent toEvent() {
        return new APIGatewayProxyResponseEvent()
                .withStatusCode(status)
                .withHeaders(headers)
                .withBody(body)
                .withIsBase64Encoded(false);
    }
}
