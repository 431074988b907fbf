package dev.compactor.support;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Queues events for a Lambda function: Lambda's {@code Invoke} with the {@code Event} invocation type. */
public final class LambdaInvoker {
    private final String function;
    private final AwsJsonCall lambda;

    /** @param function the function's name or ARN (an alias ARN to reach a SnapStart version) */
    public LambdaInvoker(String function, AwsJsonCall lambda) {
        this.function = function;
        this.lambda = lambda;
    }

    /**
     * Hands {@code event} (a record the one mapper writes) to Lambda, which runs the function with it (retrying as the function's
     * asynchronous configuration says) after this returns.
     *
     * @throws IllegalStateException when Lambda does not accept the event
     */
    public void invokeAsync(Object event) {
        AwsJsonCall.Response response;
        try {
            response = lambda.post("/2015-03-31/functions/" + URLEncoder.encode(function, StandardCharsets.UTF_8) + "/invocations",
                    Map.of("Content-Type", "application/json", "X-Amz-Invocation-Type", "Event"), event);
        } catch (IOException e) {
            throw new IllegalStateException("Lambda could not be reached to start the worker (" + e.getClass().getSimpleName() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the worker", e);
        }
        if (response.status() != 202) {
            throw new IllegalStateException("Lambda refused the worker's event: " + response.status() + " " + response.errorType());
        }
    }
}
