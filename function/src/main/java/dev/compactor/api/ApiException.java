package dev.compactor.api;

import java.util.Map;

/** An error answered with a specific status and body. */
public final class ApiException extends RuntimeException {
    private final int status;
    private final Map<String, Object> body;

    public ApiException(int status, Map<String, Object> body) {
        super(String.valueOf(body.get("detail")));
        this.status = status;
        this.body = body;
    }

    /** Letta's common shape: {@code {"detail": "..."}}. */
    public static ApiException detail(int status, String detail) {
        return new ApiException(status, Map.of("detail", detail));
    }

    public int status() {
        return status;
    }

    public Map<String, Object> body() {
        return body;
    }
}
