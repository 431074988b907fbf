package dev.compactor.local.emulator;

import com.sun.net.httpserver.HttpServer;
import dev.compactor.support.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * OpenAI's chat completions endpoint as a benchmark needs it: every {@code POST
 * /v1/chat/completions} is answered with the same short summary after a fixed latency, in
 * OpenAI's response format, so the real OpenAI adapter runs against it.
 */
public final class StubOpenAiServer implements AutoCloseable {
    static final String SUMMARY = "The user asked for the deployment notes of each service to be reviewed; the assistant "
            + "checked them one by one, found nothing blocking, and recorded the build numbers it saw.";

    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicLong requests = new AtomicLong();

    private StubOpenAiServer(Duration latency) throws IOException {
        byte[] answer = Json.write(Map.of("id", "chatcmpl-stub", "object", "chat.completion", "model", "gpt-4o-mini",
                "choices", List.of(Map.of("index", 0, "finish_reason", "stop",
                        "message", Map.of("role", "assistant", "content", SUMMARY))),
                "usage", Map.of("prompt_tokens", 1_000, "completion_tokens", 40, "total_tokens", 1_040)))
                .getBytes(StandardCharsets.UTF_8);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        server.setExecutor(threads);
        server.createContext("/v1/chat/completions", exchange -> {
            try (InputStream body = exchange.getRequestBody(); OutputStream out = exchange.getResponseBody()) {
                body.readAllBytes();
                requests.incrementAndGet();
                Thread.sleep(latency.toMillis());
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, answer.length);
                out.write(answer);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
    }

    public static StubOpenAiServer start(Duration latency) {
        try {
            return new StubOpenAiServer(latency);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value for {@code OPENAI_BASE_URL}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    public long requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
