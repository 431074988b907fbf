package dev.compactor.api;

/** An error answered with a specific status and Letta's common body, {@code {"detail": "..."}}. */
public final class ApiException extends RuntimeException {
    private final int status;

    private ApiException(int status, String detail) {
        super(detail);
        this.status = status;
    }

    public static ApiException detail(int status, String detail) {
        return new ApiException(status, detail);
    }

    public int status() {
        return status;
    }

    public ErrorResponses.Detail body() {
        return new ErrorResponses.Detail(getMessage());
    }
}
