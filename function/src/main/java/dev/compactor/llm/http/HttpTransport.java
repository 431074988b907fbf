package dev.compactor.llm.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.compactor.support.JsonMapper;
import dev.compactor.llm.LlmException;
import dev.compactor.llm.ProviderErrors;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * JSON and server-sent-event calls over the JDK's HTTP client, each bounded by a deadline that
 * covers the whole exchange (headers and body), with failures turned into {@link LlmException}s.
 */
public final class HttpTransport {
    /** Closes streams still open at their deadline; one daemon thread, only in containers that stream over HTTP. */
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "llm-stream-deadline");
        t.setDaemon(true);
        return t;
    });

    /** Binds provider JSON to wire records, ignoring the fields they do not name (providers add fields freely). */
    static final ObjectReader LENIENT = JsonMapper.MAPPER.reader().without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final HttpClient client;

    public HttpTransport(HttpClient client) {
        this.client = client;
    }

    /**
     * POSTs {@code body} (a wire record) as JSON and binds the 2xx answer to {@code answer}, ignoring
     * the fields the record does not name (providers add fields freely).
     */
    public <T> T postJson(String provider, URI uri, Map<String, String> headers, Object body, Instant deadline, Class<T> answer) {
        return bind(provider, post(provider, request(uri, headers, "application/json", write(body), deadline), deadline), answer);
    }

    /** POSTs an HTML form (an OAuth token request) and binds the 2xx answer to {@code answer}. */
    public <T> T postForm(String provider, URI uri, Map<String, String> form, Instant deadline, Class<T> answer) {
        StringBuilder encoded = new StringBuilder();
        form.forEach((name, value) -> encoded.append(encoded.isEmpty() ? "" : "&")
                .append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return bind(provider, post(provider, request(uri, Map.of(), "application/x-www-form-urlencoded", encoded.toString(), deadline),
                deadline), answer);
    }

    /** The body of a 2xx answer. */
    private String post(String provider, HttpRequest request, Instant deadline) {
        HttpResponse<String> response = await(provider, client.sendAsync(request,
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)), deadline);
        if (response.statusCode() / 100 != 2) {
            throw ProviderErrors.fromResponse(provider, response.statusCode(), response.body(), retryAfter(response.headers()));
        }
        return response.body();
    }

    /** POSTs {@code body} as JSON and hands each server-sent event of a 2xx answer to {@code events}. */
    public void postForEvents(String provider, URI uri, Map<String, String> headers, Object body, Instant deadline,
                              Consumer<ServerSentEvent> events) {
        HttpResponse<InputStream> response = await(provider, client.sendAsync(request(uri, headers, "application/json",
                write(body), deadline), HttpResponse.BodyHandlers.ofInputStream()), deadline);
        InputStream in = response.body();
        AtomicBoolean cutAtDeadline = new AtomicBoolean();
        ScheduledFuture<?> closer = WATCHDOG.schedule(() -> {
            cutAtDeadline.set(true);
            closeQuietly(in);
        }, millisUntil(deadline), TimeUnit.MILLISECONDS);
        try (in) {
            if (response.statusCode() / 100 != 2) {
                throw ProviderErrors.fromResponse(provider, response.statusCode(),
                        new String(in.readAllBytes(), StandardCharsets.UTF_8), retryAfter(response.headers()));
            }
            ServerSentEvent.read(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), events);
        } catch (EOFException e) {
            // Cut inside an event: by our deadline (a timeout, as Letta reports one), else by the
            // provider or the network (worth another attempt); never a malformed answer.
            throw cutAtDeadline.get() ? timeout(provider, e) : ProviderErrors.incompleteStream(provider);
        } catch (IOException e) {
            throw cutAtDeadline.get() ? timeout(provider, e) : ProviderErrors.connection(provider, e);
        } finally {
            closer.cancel(false);
        }
        // A stream closed at the deadline may end quietly rather than with an error.
        if (cutAtDeadline.get()) {
            throw timeout(provider, null);
        }
    }

    private static HttpRequest request(URI uri, Map<String, String> headers, String contentType, String body, Instant deadline) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofMillis(Math.max(1, millisUntil(deadline))))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(builder::header);
        return builder.build();
    }

    /** Waits for the response headers (and, for a buffered body, the body) until the deadline, cancelling the exchange after it. */
    private static <T> HttpResponse<T> await(String provider, CompletableFuture<HttpResponse<T>> exchange, Instant deadline) {
        try {
            return exchange.get(Math.max(1, millisUntil(deadline)), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw timeout(provider, e);
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw timeout(provider, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException) {
                throw timeout(provider, cause);
            }
            throw ProviderErrors.connection(provider, cause);
        }
    }

    private static String write(Object body) {
        try {
            return JsonMapper.MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a request body that is not JSON", e);
        }
    }

    /** Binds a provider's JSON to a wire record; a body of another shape is a malformed answer. */
    static <T> T bind(String provider, String body, Class<T> type) {
        try {
            return LENIENT.forType(type).readValue(body);
        } catch (JsonProcessingException e) {
            throw ProviderErrors.malformed(provider, "unexpected JSON (" + e.getOriginalMessage() + ")", e);
        }
    }

    /** {@code retry-after-ms} (OpenAI) or {@code retry-after} in seconds; HTTP dates are ignored. */
    static Duration retryAfter(HttpHeaders headers) {
        try {
            var millis = headers.firstValue("retry-after-ms");
            if (millis.isPresent()) {
                return Duration.ofMillis((long) Double.parseDouble(millis.get().strip()));
            }
            var seconds = headers.firstValue("retry-after");
            return seconds.isPresent() ? Duration.ofMillis((long) (Double.parseDouble(seconds.get().strip()) * 1000)) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static LlmException timeout(String provider, Throwable cause) {
        return new LlmException(LlmException.Kind.TIMEOUT, provider, provider + " did not answer in time", cause, true, null);
    }

    private static long millisUntil(Instant deadline) {
        return Duration.between(Instant.now(), deadline).toMillis();
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // the reader sees the stream end and reports the timeout
        }
    }
}
