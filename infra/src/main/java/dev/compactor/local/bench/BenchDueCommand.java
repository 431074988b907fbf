package dev.compactor.local.bench;

import dev.compactor.app.Services;
import dev.compactor.batch.Outcome;
import dev.compactor.conversation.Agent;
import dev.compactor.conversation.AgentCompactionSettings;
import dev.compactor.conversation.ConversationStore;
import dev.compactor.conversation.DueState;
import dev.compactor.conversation.Ids;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.Role;
import dev.compactor.local.command.Args;
import dev.compactor.local.command.Seeder;
import dev.compactor.local.emulator.LocalDynamo;
import dev.compactor.local.emulator.LocalSqs;
import dev.compactor.local.emulator.StubOpenAiServer;
import dev.compactor.local.runtime.FunctionHost;
import dev.compactor.local.runtime.LocalDueLoop;
import dev.compactor.local.runtime.LocalQueues;
import dev.compactor.local.runtime.SamTemplate;
import dev.compactor.support.Env;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * {@code bench-due}: how soon a conversation that becomes due is compacted, on this machine, the
 * way the template wires it and start-api runs it: the append that crosses the threshold, the
 * stream poller with the template's filter, the due-stream function, the queue in ElasticMQ, the
 * batch worker with the template's concurrency, every summary from a stub OpenAI server of fixed
 * latency. Each of N conversations starts just below its threshold; one append a time apart
 * crosses it; the latency runs from that append's start to the worker's committed compaction.
 * Prints p50, p95 and the maximum. A few unmeasured conversations first warm the JVM up.
 */
public final class BenchDueCommand {
    static final int CONTEXT_WINDOW = 2_000;
    static final int WARM_UP = 20;
    private static final AtomicInteger RUNS = new AtomicInteger();

    private BenchDueCommand() {}

    public static int run(Args args, PrintStream stdout) {
        int n = args.integer("--conversations", 200);
        Duration latency = Duration.ofMillis(args.integer("--latency-ms", 100));
        Duration interval = Duration.ofMillis(args.integer("--interval-ms", 50));
        if (n < 1 || latency.isNegative() || interval.isNegative()) {
            throw new Args.UsageException("--conversations must be positive, --latency-ms and --interval-ms at least 0");
        }
        SamTemplate template = SamTemplate.load(args.path("--template"));
        try (LocalDynamo dynamo = LocalDynamo.start(null); LocalSqs sqs = LocalSqs.start();
             StubOpenAiServer openai = StubOpenAiServer.start(latency); DynamoDbStreamsClient streams = dynamo.streams()) {
            Map<String, String> env = new HashMap<>(System.getenv());
            env.put("OPENAI_BASE_URL", openai.baseUrl());
            env.put("OPENAI_API_KEY", "bench");
            measure(template, dynamo, sqs, streams, env, WARM_UP, interval);
            List<Long> millis = measure(template, dynamo, sqs, streams, env, n, interval);
            stdout.printf("%d cores, load average %.1f; summaries from a stub OpenAI server answering in %d ms; one crossing append "
                            + "every %d ms%n", Runtime.getRuntime().availableProcessors(),
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), latency.toMillis(), interval.toMillis());
            stdout.println("conversations  compacted  p50 ms  p95 ms  max ms   (crossing append → committed compaction)");
            stdout.printf("%13d  %9d  %6d  %6d  %6d%n", n, millis.size(), percentile(millis, 0.50), percentile(millis, 0.95),
                    millis.isEmpty() ? 0 : millis.get(millis.size() - 1));
        }
        return 0;
    }

    /** The sorted latencies, in milliseconds, of the conversations compacted within a minute of their crossing append. */
    private static List<Long> measure(SamTemplate template, LocalDynamo dynamo, LocalSqs sqs, DynamoDbStreamsClient streams,
                                      Map<String, String> env, int n, Duration interval) {
        String name = "bench-due-" + RUNS.incrementAndGet();
        dynamo.ensureTable(template, name);
        LocalQueues queues = sqs.createQueues(template, name);
        Map<String, Long> started = new ConcurrentHashMap<>();
        Map<String, Long> committed = new ConcurrentHashMap<>();
        CountDownLatch done = new CountDownLatch(n);
        try (FunctionHost host = new FunctionHost(template, name, dynamo.endpoint(), env, () -> queues)) {
            ConversationStore store = Services.fromEnvironment(new Env(host.environment(template.function("ApiFunction")))).store();
            Agent agent = store.createAgent(Seeder.TENANT, new Agent(Ids.newAgentId(), "bench", "anthropic/claude-haiku-4-5",
                    CONTEXT_WINDOW, "You are a deployment assistant.", "UTC", AgentCompactionSettings.defaultsWith("openai/gpt-4o-mini"), Instant.now()));
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String id = Ids.newConversationId();
                store.createConversation(Seeder.TENANT, agent, id);
                store.append(Seeder.TENANT, id, turns(4));
                if (store.findConversation(Seeder.TENANT, id).orElseThrow().dueState() != DueState.NONE) {
                    throw new IllegalStateException("the seeded conversation is due already: the bench's sizes are off");
                }
                ids.add(id);
            }
            try (LocalDueLoop loop = LocalDueLoop.start(host, streams, dynamo.streamArn(name), queues, sqs.client(), outcome -> {
                if (outcome.kind() == Outcome.Kind.COMPACTED) {
                    committed.put(outcome.conversationId(), System.nanoTime());
                }
                done.countDown();
            })) {
                for (String id : ids) {
                    started.put(id, System.nanoTime());
                    store.append(Seeder.TENANT, id, turns(3));
                    TimeUnit.MILLISECONDS.sleep(interval.toMillis());
                }
                done.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        return committed.entrySet().stream().map(e -> (e.getValue() - started.get(e.getKey())) / 1_000_000).sorted().toList();
    }

    /** User and assistant turns of about 310 tokens each: four stay below 90% of the 2,000-token window, three more cross it. */
    private static List<Message> turns(int count) {
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            messages.add(Message.text(i % 2 == 0 ? Role.USER : Role.ASSISTANT, "Notes of service-" + i + ": "
                    + "build 4411 passed its checks, the rollout waits for the staging sign-off. ".repeat(12)));
        }
        return messages;
    }

    private static long percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }
}
