package dev.compactor.local.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.compactor.api.ApiHandler;
import dev.compactor.llm.ChatMessage;
import dev.compactor.llm.ModelHandle;
import dev.compactor.llm.Summarizers;
import dev.compactor.llm.SummaryRequest;
import dev.compactor.llm.http.WirePriming;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs in a fresh JVM whose class path is the Lambda artifact (see {@link InitBenchmark}): builds
 * the API handler as Lambda's INIT phase does, then makes the first summary through Bedrock and,
 * in the {@code http} scenario, through each HTTP dialect, all against in-process stub servers.
 * Prints one line of timings. Uses only the JDK and the function's own classes.
 */
public final class InitProbe {
    private static final String BEDROCK = "bedrock/us.anthropic.claude-haiku-4-5-20251001-v1:0";
    private static final String BEDROCK_ANSWER = "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"ok\"}]}},"
            + "\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":1,\"outputTokens\":1,\"totalTokens\":2}}";
    private static final String OPENAI_ANSWER = "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},"
            + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}";
    private static final String ANTHROPIC_STREAM = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":"
            + "{\"input_tokens\":1,\"output_tokens\":1}}}\n\nevent: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
            + "\"delta\":{\"type\":\"text_delta\",\"text\":\"ok\"}}\n\nevent: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":"
            + "{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":1}}\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
    private static final String GEMINI_ANSWER = "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"ok\"}]},"
            + "\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"promptTokenCount\":1,\"candidatesTokenCount\":1}}";

    static final String API_EVENT = "api-event";
    /** {@code http} after the wire priming the SnapStart hooks run ({@link WirePriming}), timed as {@code priming_ms}. */
    static final String HTTP_PRIMED = "http-primed";
    /** The wiring class today; an artifact from before the packages moved has it elsewhere ({@code bench-init --services-class}). */
    static final String SERVICES_CLASS = "dev.compactor.app.Services";
    private static final String TRUNCATED_CREATE_AGENT = "{\"resource\":\"/v1/agents\",\"path\":\"/v1/agents\",\"httpMethod\":\"POST\","
            + "\"headers\":{\"content-type\":\"application/json\"},\"requestContext\":{\"requestId\":\"init-probe\","
            + "\"authorizer\":{\"tenant\":\"probe\"}},\"body\":\"{\\\"name\\\":\"}";

    private InitProbe() {}

    /**
     * {@code args[0]}: {@code bedrock} (Bedrock only), {@code primed} (Bedrock, its adapter built
     * first as the SnapStart hooks build it before the snapshot), {@code http} (Bedrock and every
     * HTTP dialect) or {@value #HTTP_PRIMED} ({@code http} after the hooks' wire priming). {@code args[1]}, optional: the wiring class whose static
     * {@code summarizers(Env)} builds the summarizers, {@link #SERVICES_CLASS} by default.
     */
    public static void main(String[] args) throws IOException, ReflectiveOperationException {
        long mainAt = System.currentTimeMillis();
        String scenario = args.length > 0 ? args[0] : "bedrock";
        String servicesClass = args.length > 1 ? args[1] : SERVICES_CLASS;
        boolean http = scenario.startsWith("http");
        HttpServer stubs = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        stubs.createContext("/model/", e -> answer(e, "application/json", BEDROCK_ANSWER));
        stubs.createContext("/v1/chat/completions", e -> answer(e, "application/json", OPENAI_ANSWER));
        stubs.createContext("/v1/messages", e -> answer(e, "text/event-stream", ANTHROPIC_STREAM));
        stubs.createContext("/v1beta/models/", e -> answer(e, "application/json", GEMINI_ANSWER));
        stubs.start();
        String base = "http://127.0.0.1:" + stubs.getAddress().getPort();
        Map<String, String> env = new HashMap<>();
        env.put("TABLE_NAME", "init-probe");
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "AKIDPROBE");
        env.put("AWS_SECRET_ACCESS_KEY", "probe");
        env.put("AWS_ENDPOINT_URL_DYNAMODB", base);
        env.put("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", base);
        env.put("DEFAULT_SUMMARIZER_MODEL", BEDROCK);
        env.put("SUMMARIZER_FAILOVER", "none");
        env.put("OPENAI_API_KEY", "probe");
        env.put("OPENAI_BASE_URL", base + "/v1");
        env.put("ANTHROPIC_API_KEY", "probe");
        env.put("ANTHROPIC_BASE_URL", base);
        env.put("GEMINI_API_KEY", "probe");
        env.put("GOOGLE_GEMINI_BASE_URL", base);

        if (scenario.startsWith(API_EVENT)) {
            firstApiEvent(env, scenario);
            stubs.stop(0);
            System.exit(0);
        }
        long t0 = System.nanoTime();
        new ApiHandler(env);
        long t1 = System.nanoTime();
        Summarizers summarizers = summarizers(servicesClass, env);
        if ("primed".equals(scenario)) {
            summarizers.prime(ModelHandle.parse(BEDROCK));
        } else if (HTTP_PRIMED.equals(scenario)) {
            WirePriming.prime();
        }
        long primed = System.nanoTime();
        summarize(summarizers, BEDROCK);
        long t2 = System.nanoTime();
        if (http) {
            summarize(summarizers, "openai/gpt-4o-mini");
            summarize(summarizers, "anthropic/claude-haiku-4-5");
            summarize(summarizers, "google_ai/gemini-2.5-flash");
        }
        long t3 = System.nanoTime();
        stubs.stop(0);
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        System.out.printf("scenario=%s jvm_to_main_ms=%d handler_init_ms=%.1f priming_ms=%.1f bedrock_first_summary_ms=%.1f "
                        + "http_first_summaries_ms=%.1f total_ms=%.1f classes=%d%n", scenario, mainAt - jvmStart, ms(t1 - t0),
                ms(primed - t1), ms(t2 - primed), ms(t3 - t2), ms(t3 - t0), ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount());
        System.exit(0);
    }

    /**
     * Scenarios {@code api-event} and {@code api-event-primed}: the handler's first event, one that
     * reaches no AWS service (a create-agent request whose body is cut off, answered 422), with and
     * without the SnapStart priming first. Unprimed, it pays for loading and first use of the JSON
     * mapper, the event types and the error rendering; the difference is what priming saves.
     */
    private static void firstApiEvent(Map<String, String> env, String scenario) {
        long t0 = System.nanoTime();
        ApiHandler handler = new ApiHandler(env);
        long t1 = System.nanoTime();
        if (scenario.endsWith("-primed")) {
            handler.beforeCheckpoint(null);
        }
        long t2 = System.nanoTime();
        int status = handler.handle(TRUNCATED_CREATE_AGENT, "init-probe", Instant.now().plusSeconds(20)).status();
        long t3 = System.nanoTime();
        if (status != 422) {
            throw new IllegalStateException("the probe's event was answered " + status + ", not 422");
        }
        System.out.printf("scenario=%s handler_init_ms=%.1f priming_ms=%.1f first_event_ms=%.1f classes=%d%n", scenario, ms(t1 - t0),
                ms(t2 - t1), ms(t3 - t2), ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount());
    }

    /** The wiring's summarizers, found by name so that one probe runs on artifacts whose packages differ. */
    private static Summarizers summarizers(String servicesClass, Map<String, String> env) throws ReflectiveOperationException {
        for (Method m : Class.forName(servicesClass).getMethods()) {
            if (m.getName().equals("summarizers") && m.getParameterCount() == 1 && Modifier.isStatic(m.getModifiers())) {
                Object environment = m.getParameterTypes()[0].getConstructor(Map.class).newInstance(env);
                return (Summarizers) m.invoke(null, environment);
            }
        }
        throw new NoSuchMethodException(servicesClass + ".summarizers(Env)");
    }

    private static void summarize(Summarizers summarizers, String handle) {
        ModelHandle model = ModelHandle.parse(handle);
        summarizers.forModel(model).summarize(new SummaryRequest(model, "Summarize.", List.of(ChatMessage.of("user", "[user] hello")),
                null, List.of(), 300, null, Instant.now().plusSeconds(20)));
    }

    private static void answer(HttpExchange exchange, String contentType, String body) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", contentType);
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }
}
