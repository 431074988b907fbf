package dev.compactor.local.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lambda's {@code Invoke} API for the hosted functions, as the functions themselves call it (the
 * API function starts its worker this way): asynchronous invocations only. Like Lambda, it
 * answers 202 at once and runs the function afterwards, on a thread of its own, retrying a
 * failed run as often as the function's {@code EventInvokeConfig} says (at once, where Lambda
 * waits a minute or two).
 */
public final class LocalLambda implements AutoCloseable {
    private static final Pattern INVOKE = Pattern.compile("/2015-03-31/functions/([^/]+)/invocations");

    private final FunctionHost host;
    private final HttpServer server;
    private final ExecutorService runs = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "local-lambda");
        t.setDaemon(true);
        return t;
    });
    private final List<Future<?>> accepted = new ArrayList<>();

    LocalLambda(FunctionHost host) {
        this.host = host;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::serve);
        server.start();
    }

    /** What a function's {@code AWS_ENDPOINT_URL_LAMBDA} points at. */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Waits until every invocation accepted so far has run (with its retries). */
    public void awaitIdle(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        List<Future<?>> pending;
        synchronized (accepted) {
            pending = List.copyOf(accepted);
        }
        for (Future<?> run : pending) {
            try {
                run.get(Math.max(0, Duration.between(Instant.now(), deadline).toMillis()), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                // Reported where it happened; a failed run is still a finished one.
            } catch (TimeoutException e) {
                throw new IllegalStateException("asynchronous invocations still running after " + timeout, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        runs.shutdownNow();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] payload = exchange.getRequestBody().readAllBytes();
            Matcher m = INVOKE.matcher(exchange.getRequestURI().getRawPath());
            if (!"POST".equals(exchange.getRequestMethod()) || !m.matches()) {
                send(exchange, 404, "{\"Type\":\"User\",\"message\":\"Unknown operation\"}");
                return;
            }
            String function = URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
            if (host.template().functions().stream().noneMatch(f -> f.logicalId().equals(function))) {
                send(exchange, 404, "{\"Type\":\"User\",\"message\":\"Function not found: " + function + "\"}");
                return;
            }
            if (!"Event".equals(exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type"))) {
                send(exchange, 400, "{\"Type\":\"User\",\"message\":\"Only asynchronous (Event) invocations are emulated\"}");
                return;
            }
            String event = new String(payload, StandardCharsets.UTF_8);
            int attempts = 1 + host.template().function(function).asyncRetries();
            synchronized (accepted) {
                accepted.add(runs.submit(() -> run(function, event, attempts)));
            }
            send(exchange, 202, "");
        }
    }

    private void run(String function, String event, int attempts) {
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                host.invoke(function, event);
                return;
            } catch (RuntimeException e) {
                System.err.println("local lambda: " + function + " failed (attempt " + attempt + " of " + attempts + "): " + e);
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
