package dev.compactor.support;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/** Which failures of an SDK call are worth another attempt, for the callers that retry with {@link Backoff}. */
public final class AwsFailures {
    private AwsFailures() {}

    /** Throttling, a 5xx, or a service that could not be reached. */
    public static boolean isTransient(SdkException e) {
        if (e instanceof AwsServiceException service) {
            return service.isThrottlingException() || service.statusCode() >= 500;
        }
        return e instanceof SdkClientException;
    }

    /** The service's error code and status ("AccessDeniedException (400)"), or the client failure's class, for messages and logs. */
    public static String describe(SdkException e) {
        if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
            return service.awsErrorDetails().errorCode() + " (" + service.statusCode() + ")";
        }
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        return cause.getClass().getSimpleName();
    }
}
