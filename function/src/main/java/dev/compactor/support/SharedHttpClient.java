package dev.compactor.support;

import java.net.http.HttpClient;
import java.time.Duration;

/**
 * The container's one JDK HTTP client, for the model providers, Bedrock and the AWS calls made by
 * hand. Built on first use (a container that never calls out never starts its selector thread) and
 * shared after, so connections are pooled across callers. HTTP/1.1: streams need no multiplexing,
 * and plain-HTTP local servers no upgrade.
 */
public final class SharedHttpClient {
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private SharedHttpClient() {}

    public static HttpClient get() {
        return Holder.CLIENT;
    }

    private static final class Holder {
        static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT).build();
    }
}
