package dev.compactor.local.command;

import dev.compactor.compaction.CompactionMode;
import dev.compactor.conversation.Ids;
import dev.compactor.local.emulator.ApiGatewayEmulator;
import dev.compactor.support.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * {@code demo}: the main job on embedded defaults, with no AWS account and no network. Seeds the
 * sample session, compacts it with a real HTTP call through the local API Gateway, and prints what
 * changed.
 */
public final class DemoCommand {
    static final String COMPACT_ROUTE = "/v1/conversations/{conversation_id}/compact";

    private DemoCommand() {}

    public static int run(Args args, PrintStream out) {
        String mode = args.get("--mode", null);
        if (mode != null && CompactionMode.fromWire(mode) == null) {
            throw new Args.UsageException("--mode must be one of " + CompactionMode.WIRE_NAMES);
        }
        long started = System.nanoTime();
        try (LocalRuntime runtime = LocalRuntime.start(args.path("--data"), args.path("--template"), System.getenv());
             ApiGatewayEmulator api = new ApiGatewayEmulator(runtime.host, "127.0.0.1", 0)) {
            api.start();
            String conversationId = Ids.newConversationId();
            Seeder.Seeded seeded = Seeder.seed(runtime.services(runtime.functionFor("POST", COMPACT_ROUTE)).store(),
                    Seeder.SAMPLE_AGENT_ID, conversationId, "local/extractive", Seeder.CONTEXT_WINDOW);
            long ready = System.nanoTime();
            out.printf("Seeded %s: a coding-agent session of %d messages (user and assistant turns, tool calls and results).%n",
                    conversationId, seeded.messages());

            String body = mode == null ? "{}" : "{\"compaction_settings\":{\"mode\":\"" + mode + "\"}}";
            String url = "http://127.0.0.1:" + api.port() + COMPACT_ROUTE.replace("{conversation_id}", conversationId);
            out.printf("POST %s %s%n", COMPACT_ROUTE.replace("{conversation_id}", conversationId), body);
            long callStarted = System.nanoTime();
            HttpResponse<String> response = post(url, body);
            long callMillis = (System.nanoTime() - callStarted) / 1_000_000;
            if (response.statusCode() != 200) {
                out.printf("%d %s%n", response.statusCode(), response.body());
                return 1;
            }
            Map<String, Object> json = Json.parseObject(response.body());
            @SuppressWarnings("unchecked")
            Map<String, Object> details = (Map<String, Object>) json.get("compaction");
            long before = ((Number) json.get("num_messages_before")).longValue();
            long after = ((Number) json.get("num_messages_after")).longValue();
            long tokensBefore = ((Number) details.get("tokens_before")).longValue();
            long tokensAfter = ((Number) details.get("tokens_after")).longValue();
            out.printf("200 OK in %d ms (mode %s, summarizer %s)%n%n", callMillis, details.get("mode_used"), details.get("model"));
            out.printf("            messages   tokens (estimate)%n");
            out.printf("  before  %10d %10d%n", before, tokensBefore);
            out.printf("  after   %10d %10d%n", after, tokensAfter);
            out.printf("  change  %9.0f%% %9.0f%%%n%n", percent(before, after), percent(tokensBefore, tokensAfter));
            out.println("Summary now at the head of the conversation:");
            for (String line : ((String) json.get("summary")).split("\n")) {
                out.println("  " + line);
            }
            out.printf("%nTime: %d ms in all (DynamoDB Local start and seeding %d ms, compaction %d ms).%n",
                    (System.nanoTime() - started) / 1_000_000, (ready - started) / 1_000_000, callMillis);
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double percent(long before, long after) {
        return before == 0 ? 0 : 100.0 * (after - before) / before;
    }

    private static HttpResponse<String> post(String url, String body) throws IOException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
