package dev.compactor.local.providers;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.compactor.support.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

/**
 * A provider's HTTP server on 127.0.0.1 and an ephemeral port: it records every request and
 * answers from a script, in order (the last answer repeats). Answers speak the providers' wire
 * formats: JSON, server-sent events, and AWS event-stream frames.
 */
public final class ScriptedServer implements AutoCloseable {
    /** A request as it arrived; header names are lower-cased. */
    public record Recorded(String method, String path, String query, Map<String, List<String>> headers, byte[] body) {
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        public Map<String, Object> json() {
            return Json.parseObject(new String(body, StandardCharsets.UTF_8));
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Writes one response. */
    public interface Answer {
        void write(HttpExchange exchange, ScriptedServer server) throws IOException;
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Recorded> requests = Collections.synchronizedList(new ArrayList<>());
    private final Deque<Answer> script = new ConcurrentLinkedDeque<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile Answer last;

    public ScriptedServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public ScriptedServer then(Answer answer) {
        script.add(answer);
        return this;
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public List<Recorded> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    public Recorded only() {
        List<Recorded> all = requests();
        if (all.size() != 1) {
            throw new AssertionError("expected one request, got " + all.size());
        }
        return all.get(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
        byte[] body = exchange.getRequestBody().readAllBytes();
        requests.add(new Recorded(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                exchange.getRequestURI().getRawQuery(), headers, body));
        Answer next = script.poll();
        if (next != null) {
            last = next;
        }
        try (exchange) {
            if (last == null) {
                exchange.sendResponseHeaders(500, -1);
            } else {
                last.write(exchange, this);
            }
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    public static Answer json(int status, String body) {
        return json(status, body, Map.of());
    }

    public static Answer json(int status, String body, Map<String, String> headers) {
        return (exchange, server) -> {
            headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        };
    }

    /** A 200 stream of server-sent events, each written and flushed on its own (chunked). */
    public static Answer sse(String... events) {
        return (exchange, server) -> {
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            for (String event : events) {
                out.write((event + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        };
    }

    /** Starts a 200 event stream, sends {@code events}, then stalls without ending it until the server closes. */
    public static Answer sseThenSilence(String... events) {
        Answer start = sse(events);
        Answer silence = silence();
        return (exchange, server) -> {
            start.write(exchange, server);
            silence.write(exchange, server);
        };
    }

    /** A 200 event stream whose body is {@code raw} as given (say, cut off inside a line); the stream then ends. */
    public static Answer sseRaw(String raw) {
        return (exchange, server) -> {
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody().write(raw.getBytes(StandardCharsets.UTF_8));
            exchange.getResponseBody().flush();
        };
    }

    /** Like {@link #sseRaw}, but the stream then stalls without ending until the server closes. */
    public static Answer sseRawThenSilence(String raw) {
        Answer start = sseRaw(raw);
        Answer silence = silence();
        return (exchange, server) -> {
            start.write(exchange, server);
            silence.write(exchange, server);
        };
    }

    /** A 200 AWS event stream (Bedrock's ConverseStream), one frame per event, flushed as it goes. */
    public static Answer eventStream(List<Message> frames) {
        return (exchange, server) -> {
            exchange.getResponseHeaders().add("Content-Type", "application/vnd.amazon.eventstream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            for (Message frame : frames) {
                frame.encode(out);
                out.flush();
            }
        };
    }

    /** An event-stream event frame with a JSON payload. */
    public static Message event(String type, String json) {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":event-type", HeaderValue.fromString(type));
        headers.put(":content-type", HeaderValue.fromString("application/json"));
        headers.put(":message-type", HeaderValue.fromString("event"));
        return new Message(headers, json.getBytes(StandardCharsets.UTF_8));
    }

    /** An event-stream exception frame, as Bedrock sends a failure in the middle of a stream. */
    public static Message exception(String type, String message) {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":exception-type", HeaderValue.fromString(type));
        headers.put(":content-type", HeaderValue.fromString("application/json"));
        headers.put(":message-type", HeaderValue.fromString("exception"));
        return new Message(headers, Json.write(Map.of("message", message)).getBytes(StandardCharsets.UTF_8));
    }

    /** Never answers: holds the connection until the server closes (the client's deadline must end the call). */
    public static Answer silence() {
        return (exchange, server) -> {
            try {
                server.closing.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }
}
