package dev.compactor.api;

import dev.compactor.support.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/** A proxy integration response. */
public record ApiResponse(int status, Map<String, String> headers, String body) {

    public static ApiResponse json(int status, Object body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        return new ApiResponse(status, headers, Json.write(body));
    }

    public ApiResponse withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new ApiResponse(status, copy, body);
    }

    /** The proxy integration's response JSON. */
    public Map<String, Object> toEvent() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("statusCode", status);
        out.put("headers", headers);
        out.put("body", body);
        out.put("isBase64Encoded", false);
        return out;
    }
}
