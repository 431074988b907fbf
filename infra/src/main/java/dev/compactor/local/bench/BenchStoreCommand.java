package dev.compactor.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.compactor.api.ApiHandler;
import dev.compactor.app.Services;
import dev.compactor.compaction.CompactionService;
import dev.compactor.conversation.Agent;
import dev.compactor.conversation.ConversationHead;
import dev.compactor.conversation.ConversationStore;
import dev.compactor.conversation.Ids;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.MessageStore;
import dev.compactor.conversation.Role;
import dev.compactor.llm.SummaryRequest;
import dev.compactor.llm.SummaryResult;
import dev.compactor.llm.TokenUsage;
import dev.compactor.local.command.Args;
import dev.compactor.local.command.LocalRuntime;
import dev.compactor.local.command.SampleConversation;
import dev.compactor.local.runtime.LocalContext;
import dev.compactor.support.Env;
import dev.compactor.support.JsonMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.ToDoubleFunction;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * {@code bench-store}: what one compaction costs in DynamoDB as a conversation grows — read
 * calls and read units to load the context, write units of the commit (which must not grow), and
 * the time of both against DynamoDB Local. Each size is measured on fresh conversations holding
 * the sample session repeated, compacted once with the default sliding window and the offline
 * summarizer, after one unmeasured warm-up compaction; the medians are printed.
 *
 * <p>Then the handler's overhead: the same compaction as a proxy event through the API handler
 * (event in, response out) with a summarizer that answers at once, against the time of the
 * DynamoDB calls that compaction made (its Query pages and its commit, timed at the same SDK
 * client). What the handler adds besides them is parsing, planning, rendering and logging.
 *
 * <p>Last, reading the context: {@code GET …/context} through the handler (head, system message
 * and summary, the context range, and the rendered Letta list) against the bare Query of the same
 * range, in read units and time, on conversations compacted once (so evicted history is there
 * and must not be read).
 */
public final class BenchStoreCommand {
    private static final String TENANT = "bench";
    private static final List<String> TABLES = List.of("store", "overhead", "context");

    private BenchStoreCommand() {}

    /** One compaction's DynamoDB calls, split into the reads before the model call and the commit. */
    record Measured(int readCalls, double readUnits, double readMillis, int writeCalls, double writeUnits, double commitMillis) {
        static Measured of(List<DynamoCallMeter.Call> calls) {
            List<DynamoCallMeter.Call> reads = calls.stream().filter(c -> !c.operation().equals("TransactWriteItems")).toList();
            List<DynamoCallMeter.Call> writes = calls.stream().filter(c -> c.operation().equals("TransactWriteItems")).toList();
            return new Measured(reads.size(), reads.stream().mapToDouble(DynamoCallMeter.Call::units).sum(),
                    reads.stream().mapToDouble(DynamoCallMeter.Call::millis).sum(), writes.size(),
                    writes.stream().mapToDouble(DynamoCallMeter.Call::units).sum(),
                    writes.stream().mapToDouble(DynamoCallMeter.Call::millis).sum());
        }
    }

    public static int run(Args args, PrintStream stdout) {
        int[] sizes = Arrays.stream(args.get("--sizes", "100,1000,10000").split(",")).mapToInt(s -> Integer.parseInt(s.strip())).toArray();
        int runs = args.integer("--runs", 3);
        if (runs < 1 || Arrays.stream(sizes).anyMatch(n -> n < 10)) {
            throw new Args.UsageException("--runs must be at least 1 and every --sizes value at least 10");
        }
        List<String> tables = Arrays.stream(args.get("--tables", String.join(",", TABLES)).split(",")).map(String::strip).toList();
        if (tables.isEmpty() || !TABLES.containsAll(tables)) {
            throw new Args.UsageException("--tables takes some of " + String.join(",", TABLES));
        }
        try (LocalRuntime runtime = LocalRuntime.start(null, args.path("--template"), Map.of())) {
            Env env = new Env(runtime.host.environment(runtime.template.function("ApiFunction")));
            if (tables.contains("store")) {
                storeCalls(runtime, env, sizes, runs, stdout);
            }
            if (tables.contains("overhead")) {
                handlerOverhead(runtime, env, sizes, runs, stdout);
            }
            if (tables.contains("context")) {
                contextRead(runtime, env, sizes, runs, stdout);
            }
        }
        return 0;
    }

    private static void storeCalls(LocalRuntime runtime, Env env, int[] sizes, int runs, PrintStream stdout) {
        DynamoCallMeter meter = new DynamoCallMeter();
        try (Services services = new Services(env, runtime.dynamo.client(meter), Services.summarizers(env)::forModel,
                Clock.systemUTC())) {
            // The first compaction of a JVM pays for class loading and JIT; it is not what a warm function does.
            services.compaction().compact(TENANT, CompactionService.Target.conversation(conversation(services.store(), 100)), null,
                    "bench", Instant.now().plusSeconds(600));
            meter.drain();
            stdout.println("messages  read calls  read units  read ms  commit writes  commit units  commit ms   (median of " + runs + ")");
            for (int size : sizes) {
                List<Measured> measured = new ArrayList<>();
                for (int r = 0; r < runs; r++) {
                    String id = conversation(services.store(), size);
                    meter.drain();
                    services.compaction().compact(TENANT, CompactionService.Target.conversation(id), null, "bench",
                            Instant.now().plusSeconds(600));
                    measured.add(Measured.of(meter.drain()));
                }
                stdout.printf("%8d  %10.0f  %10.1f  %7.1f  %13.0f  %12.1f  %9.1f%n", size,
                        median(measured, Measured::readCalls), median(measured, Measured::readUnits),
                        median(measured, Measured::readMillis), median(measured, Measured::writeCalls),
                        median(measured, Measured::writeUnits), median(measured, Measured::commitMillis));
            }
        }
    }

    /** One compaction through the handler: its whole time, and the part spent in DynamoDB calls. */
    record Overhead(double handlerMillis, double dynamoMillis) {
        double ratio() {
            return handlerMillis / dynamoMillis;
        }
    }

    private static void handlerOverhead(LocalRuntime runtime, Env env, int[] sizes, int runs, PrintStream stdout) {
        DynamoCallMeter meter = new DynamoCallMeter();
        try (Services services = new Services(env, runtime.dynamo.client(meter), handle -> BenchStoreCommand::instantSummary,
                Clock.systemUTC())) {
            ApiHandler handler = new ApiHandler(services);
            int timeout = runtime.template.function("ApiFunction").timeoutSeconds();
            compactThroughHandler(handler, timeout, conversation(services.store(), 100));
            meter.drain();
            stdout.println();
            stdout.println("handler overhead: POST .../compact through the API handler, summarizer answering at once (median of " + runs + ")");
            stdout.println("messages  handler ms  DynamoDB ms  ratio");
            for (int size : sizes) {
                List<Overhead> measured = new ArrayList<>();
                for (int r = 0; r < runs; r++) {
                    String id = conversation(services.store(), size);
                    meter.drain();
                    double handlerMillis = compactThroughHandler(handler, timeout, id);
                    double dynamoMillis = meter.drain().stream().mapToDouble(DynamoCallMeter.Call::millis).sum();
                    measured.add(new Overhead(handlerMillis, dynamoMillis));
                }
                stdout.printf("%8d  %10.1f  %11.1f  %5.2f%n", size, median(measured, Overhead::handlerMillis),
                        median(measured, Overhead::dynamoMillis), median(measured, Overhead::ratio));
            }
        }
    }

    /** One context read: the route's read units and time (and the part of it in DynamoDB calls), and the bare Query's over the same range. */
    record ContextRead(double routeUnits, double routeMillis, double routeDynamoMillis, double queryUnits, double queryMillis) {
        double unitsRatio() {
            return routeUnits / queryUnits;
        }

        double timeRatio() {
            return routeMillis / queryMillis;
        }
    }

    /** Which read of a conversation's context a container makes. */
    enum ContextReadKind {
        FIRST("first"), AGAIN("again"), AFTER_APPEND("append");

        final String label;

        ContextReadKind(String label) {
            this.label = label;
        }
    }

    private static void contextRead(LocalRuntime runtime, Env env, int[] sizes, int runs, PrintStream stdout) {
        DynamoCallMeter meter = new DynamoCallMeter();
        try (Services services = contextServices(runtime, env, meter)) {
            ApiHandler handler = new ApiHandler(services);
            int timeout = runtime.template.function("ApiFunction").timeoutSeconds();
            String warmUp = conversation(services.store(), 100);
            compactThroughHandler(handler, timeout, warmUp);
            for (int i = 0; i < 20; i++) {
                readContext(handler, timeout, warmUp);
                bareQuery(services, env, warmUp, services.store().findConversation(TENANT, warmUp).orElseThrow());
            }
            meter.drain();
            stdout.println();
            stdout.println("reading the context: GET .../context through the API handler against the bare eventually consistent "
                    + "Query of its range (the route's consistency), after one compaction (median of " + runs + "); reads: a container's "
                    + "first of the conversation, its next with nothing new, its next after a turn (2 messages) was appended");
            stdout.println("messages  read    in context  route units  query units  ratio  route ms (DynamoDB)  query ms  ratio");
            for (int size : sizes) {
                String id = conversation(services.store(), size);
                compactThroughHandler(handler, timeout, id);
                readContext(handler, timeout, id);
                Map<ContextReadKind, List<ContextRead>> measured = new EnumMap<>(ContextReadKind.class);
                for (int r = 0; r < runs; r++) {
                    for (ContextReadKind kind : ContextReadKind.values()) {
                        if (kind == ContextReadKind.AFTER_APPEND) {
                            services.store().append(TENANT, id, List.of(Message.text(Role.USER, "And the next step, run " + r + "?"),
                                    Message.text(Role.ASSISTANT, "Ship it to staging, then watch the error rate for an hour.")));
                        }
                        ConversationHead head = services.store().findConversation(TENANT, id).orElseThrow();
                        measured.computeIfAbsent(kind, k -> new ArrayList<>()).add(kind == ContextReadKind.FIRST
                                ? firstRead(runtime, env, meter, timeout, warmUp, id, head, r, services)
                                : contextReadAndQuery(handler, timeout, meter, services, env, id, head, r));
                    }
                }
                ConversationHead head = services.store().findConversation(TENANT, id).orElseThrow();
                measured.forEach((kind, reads) -> stdout.printf("%8d  %-6s  %10d  %11.1f  %11.1f  %5.2f  %8.1f (%8.1f)  %8.1f  %5.2f%n",
                        size, kind.label, head.nextSeq() - head.contextStartSeq() + 2, median(reads, ContextRead::routeUnits),
                        median(reads, ContextRead::queryUnits), median(reads, ContextRead::unitsRatio),
                        median(reads, ContextRead::routeMillis), median(reads, ContextRead::routeDynamoMillis),
                        median(reads, ContextRead::queryMillis), median(reads, ContextRead::timeRatio)));
            }
        }
    }

    private static Services contextServices(LocalRuntime runtime, Env env, DynamoCallMeter meter) {
        return new Services(env, runtime.dynamo.client(meter), handle -> BenchStoreCommand::instantSummary, Clock.systemUTC());
    }

    /**
     * The read of a container that has not read conversation {@code id} before: a new one, whose
     * connections and classes are warmed up on another conversation first (not measured).
     */
    private static ContextRead firstRead(LocalRuntime runtime, Env env, DynamoCallMeter meter, int timeout, String warmUp, String id,
                                         ConversationHead head, int run, Services services) {
        try (Services fresh = contextServices(runtime, env, meter)) {
            ApiHandler handler = new ApiHandler(fresh);
            for (int i = 0; i < 3; i++) {
                readContext(handler, timeout, warmUp);
            }
            return contextReadAndQuery(handler, timeout, meter, services, env, id, head, run);
        }
    }

    /** The route's read of {@code id} through {@code handler} and the bare Query of {@code head}'s range, in turns going first. */
    private static ContextRead contextReadAndQuery(ApiHandler handler, int timeout, DynamoCallMeter meter, Services services, Env env,
                                                   String id, ConversationHead head, int run) {
        meter.drain();
        // Which goes first alternates, so that neither always follows the other's reads.
        double queryMillis = run % 2 == 1 ? bareQueryMillis(services, env, id, head) : 0;
        List<DynamoCallMeter.Call> queryCalls = meter.drain();
        double routeMillis = readContext(handler, timeout, id);
        List<DynamoCallMeter.Call> routeCalls = meter.drain();
        if (run % 2 == 0) {
            queryMillis = bareQueryMillis(services, env, id, head);
            queryCalls = meter.drain();
        }
        return new ContextRead(units(routeCalls), routeMillis, routeCalls.stream().mapToDouble(DynamoCallMeter.Call::millis).sum(),
                units(queryCalls), queryMillis);
    }

    private static double units(List<DynamoCallMeter.Call> calls) {
        return calls.stream().mapToDouble(DynamoCallMeter.Call::units).sum();
    }

    private static double bareQueryMillis(Services services, Env env, String id, ConversationHead head) {
        long started = System.nanoTime();
        bareQuery(services, env, id, head);
        return (System.nanoTime() - started) / 1e6;
    }

    /**
     * The Query the route's range read is, made directly: every page of the conversation's
     * messages from its context start, eventually consistent as the route first reads them (the key layout is the
     * store's, spelled out here because the bench measures against it).
     */
    private static void bareQuery(Services services, Env env, String id, ConversationHead head) {
        Map<String, AttributeValue> values = Map.of(":pk", AttributeValue.fromS("T#" + TENANT + "#C#" + id),
                ":from", AttributeValue.fromS(String.format("MSG#%012d", head.contextStartSeq())),
                ":to", AttributeValue.fromS(String.format("MSG#%012d", head.nextSeq() - 1)));
        String table = env.require(Env.TABLE_NAME);
        long items = 0;
        Map<String, AttributeValue> startKey = null;
        do {
            Map<String, AttributeValue> from = startKey;
            QueryResponse page = services.dynamo().query(r -> r.tableName(table).consistentRead(false)
                    .keyConditionExpression("pk = :pk AND sk BETWEEN :from AND :to").expressionAttributeValues(values)
                    .exclusiveStartKey(from));
            items += page.count();
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (startKey != null);
        if (items == 0) {
            throw new IllegalStateException("the context range of " + id + " is empty");
        }
    }

    /** {@code GET …/context} of conversation {@code id} with a proxy event, as API Gateway sends it; returns the invoke's milliseconds. */
    private static double readContext(ApiHandler handler, int timeoutSeconds, String id) {
        ObjectNode event = JsonMapper.MAPPER.createObjectNode();
        event.put("resource", "/v1/conversations/{conversation_id}/context");
        event.put("path", "/v1/conversations/" + id + "/context");
        event.put("httpMethod", "GET");
        event.putObject("pathParameters").put("conversation_id", id);
        ObjectNode context = event.putObject("requestContext");
        context.put("requestId", UUID.randomUUID().toString());
        context.putObject("authorizer").put("tenant", TENANT);
        return invoke(handler, timeoutSeconds, event, "the context read");
    }

    /** The instant model: a fixed summary, so a compaction's time is the handler's and DynamoDB's. */
    private static SummaryResult instantSummary(SummaryRequest request) {
        return new SummaryResult("The user and the assistant worked through the sample session.", SummaryResult.LLM, request.model(),
                TokenUsage.NONE, 0);
    }

    /** Compacts conversation {@code id} with a proxy event, as API Gateway sends it; returns the invoke's milliseconds. */
    private static double compactThroughHandler(ApiHandler handler, int timeoutSeconds, String id) {
        ObjectNode event = JsonMapper.MAPPER.createObjectNode();
        event.put("resource", "/v1/conversations/{conversation_id}/compact");
        event.put("path", "/v1/conversations/" + id + "/compact");
        event.put("httpMethod", "POST");
        event.putObject("headers").put("content-type", "application/json");
        event.putObject("pathParameters").put("conversation_id", id);
        ObjectNode context = event.putObject("requestContext");
        context.put("requestId", UUID.randomUUID().toString());
        context.putObject("authorizer").put("tenant", TENANT);
        event.put("body", "{}");
        return invoke(handler, timeoutSeconds, event, "the compaction through the handler");
    }

    /** Hands {@code event} to the handler as the Lambda runtime does; returns the invoke's milliseconds, failing unless it answered 200. */
    private static double invoke(ApiHandler handler, int timeoutSeconds, ObjectNode event, String what) {
        byte[] in = event.toString().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long started = System.nanoTime();
        try {
            handler.handleRequest(new ByteArrayInputStream(in), out, new LocalContext("ApiFunction", timeoutSeconds));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        double millis = (System.nanoTime() - started) / 1e6;
        try {
            JsonNode response = JsonMapper.MAPPER.readTree(out.toByteArray());
            if (response.path("statusCode").asInt() != 200) {
                throw new IllegalStateException(what + " failed: " + response.path("body").asText());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return millis;
    }

    /** A new conversation holding {@code size} messages: the sample session, repeated. */
    private static String conversation(ConversationStore store, int size) {
        Agent agent = store.createAgent(TENANT, new Agent(Ids.newAgentId(), "bench", "local/extractive", 100_000_000,
                SampleConversation.SYSTEM_PROMPT, "UTC", null, Instant.now()));
        String id = Ids.newConversationId();
        store.createConversation(TENANT, agent, id);
        List<Message> messages = new ArrayList<>(size + 1);
        for (int round = 1; messages.size() < size; round++) {
            messages.addAll(SampleConversation.messages("call_" + round + "_"));
        }
        // End on a complete step: a tool call whose result is cut off would be kept whole in context.
        int end = messages.get(size - 1).toolCalls().isEmpty() ? size : size + 1;
        for (int from = 0; from < end; from += MessageStore.MAX_APPEND) {
            store.append(TENANT, id, messages.subList(from, Math.min(end, from + MessageStore.MAX_APPEND)));
        }
        return id;
    }

    private static <T> double median(List<T> measured, ToDoubleFunction<T> value) {
        double[] sorted = measured.stream().mapToDouble(value).sorted().toArray();
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }
}
