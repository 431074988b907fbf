package dev.compactor.local.eval;

import com.sun.net.httpserver.HttpServer;
import dev.compactor.support.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenAI-compatible chat completions server that summarises for real, if crudely: it answers
 * with the last {@link #TAIL} code points of the transcript it was sent (a "recency" summarizer),
 * with token usage in OpenAI's format, so the real OpenAI adapter and its cost accounting run.
 */
final class SummarizingOpenAiServer implements AutoCloseable {
    static final int TAIL = 600;

    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicInteger requests = new AtomicInteger();

    SummarizingOpenAiServer() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(threads);
        server.createContext("/v1/chat/completions", exchange -> {
            try (InputStream in = exchange.getRequestBody(); OutputStream out = exchange.getResponseBody()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                requests.incrementAndGet();
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> messages = (List<Map<String, Object>>) Json.parseObject(body).get("messages");
                String transcript = String.valueOf(messages.get(messages.size() - 1).get("content"));
                int points = transcript.codePointCount(0, transcript.length());
                String summary = transcript.substring(transcript.offsetByCodePoints(0, Math.max(0, points - TAIL))).strip();
                byte[] answer = Json.write(Map.of("id", "chatcmpl-eval", "object", "chat.completion", "model", "gpt-4o-mini",
                        "choices", List.of(Map.of("index", 0, "finish_reason", "stop",
                                "message", Map.of("role", "assistant", "content", summary))),
                        "usage", Map.of("prompt_tokens", body.length() / 4, "completion_tokens", summary.length() / 4,
                                "total_tokens", body.length() / 4 + summary.length() / 4))).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, answer.length);
                out.write(answer);
            }
        });
        server.start();
    }

    /** The value for {@code OPENAI_BASE_URL}. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
