package dev.compactor.local.bench;

import dev.compactor.app.Services;
import dev.compactor.conversation.Agent;
import dev.compactor.conversation.AgentCompactionSettings;
import dev.compactor.conversation.ConversationStore;
import dev.compactor.conversation.Ids;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.Role;
import dev.compactor.local.command.Args;
import dev.compactor.local.command.BatchCommand;
import dev.compactor.local.command.BatchReport;
import dev.compactor.local.command.Seeder;
import dev.compactor.local.emulator.LocalDynamo;
import dev.compactor.local.emulator.LocalSqs;
import dev.compactor.local.emulator.StubOpenAiServer;
import dev.compactor.local.runtime.FunctionHost;
import dev.compactor.local.runtime.LocalBatch;
import dev.compactor.local.runtime.LocalQueues;
import dev.compactor.local.runtime.SamTemplate;
import dev.compactor.support.Env;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code bench-batch}: scheduled compaction at scale on this machine. For each size N, N due
 * conversations in a fresh table and one batch run the way the template wires it (discovery, the
 * queue in ElasticMQ, {@code --concurrency} workers), every summary from a stub OpenAI server with
 * a fixed latency, reached through the real OpenAI adapter ({@code OPENAI_BASE_URL}). Prints the
 * wall time against the ideal N × latency / concurrency, and the peak live heap, which must not grow
 * with N. One unmeasured run first warms the JVM up.
 */
public final class BenchBatchCommand {
    static final int CONTEXT_WINDOW = 2_000;
    static final int MESSAGES_PER_CONVERSATION = 8;
    static final int WARM_UP_CONVERSATIONS = 1_000;
    private static final int SEED_THREADS = 8;
    private static final AtomicInteger RUNS = new AtomicInteger();

    private BenchBatchCommand() {}

    record Measured(Duration wall, long peakLiveHeapBytes, BatchReport report) {}

    public static int run(Args args, PrintStream stdout) {
        int[] sizes = Arrays.stream(args.get("--sizes", "500,1000,2000").split(",")).mapToInt(s -> Integer.parseInt(s.strip())).toArray();
        Duration latency = Duration.ofMillis(args.integer("--latency-ms", 100));
        int concurrency = args.integer("--concurrency", 32);
        if (Arrays.stream(sizes).anyMatch(n -> n < 1) || latency.isNegative() || concurrency < 1
                || concurrency > BatchCommand.MAX_CONCURRENCY) {
            throw new Args.UsageException("--sizes must be positive, --latency-ms at least 0, --concurrency from 1 to "
                    + BatchCommand.MAX_CONCURRENCY);
        }
        SamTemplate template = SamTemplate.load(null);
        try (LocalDynamo dynamo = LocalDynamo.start(null); LocalSqs sqs = LocalSqs.start();
             StubOpenAiServer openai = StubOpenAiServer.start(latency)) {
            Map<String, String> env = new HashMap<>(System.getenv());
            env.put("OPENAI_BASE_URL", openai.baseUrl());
            env.put("OPENAI_API_KEY", "bench");
            measure(template, dynamo, sqs, env, WARM_UP_CONVERSATIONS, concurrency);
            stdout.printf("%d cores, load average %.1f; summaries from a stub OpenAI server answering in %d ms, %d workers%n",
                    Runtime.getRuntime().availableProcessors(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                    latency.toMillis(), concurrency);
            stdout.println("conversations   wall s  ideal s  wall/ideal  compactions/s  peak live heap (MiB)  not compacted");
            for (int n : sizes) {
                Measured m = measure(template, dynamo, sqs, env, n, concurrency);
                double wall = m.wall().toMillis() / 1000.0;
                double ideal = (double) n * latency.toMillis() / concurrency / 1000.0;
                long missing = n - m.report().compacted();
                stdout.printf("%13d  %7.2f  %7.2f  %10.2f  %13.0f  %20.0f  %s%n", n, wall, ideal, wall / ideal, n / wall,
                        m.peakLiveHeapBytes() / 1048576.0,
                        missing == 0 ? "0" : missing + " " + m.report().failedByReason() + m.report().skippedByReason());
            }
        }
        return 0;
    }

    private static Measured measure(SamTemplate template, LocalDynamo dynamo, LocalSqs sqs, Map<String, String> env, int n,
                                    int concurrency) {
        String name = "bench-" + RUNS.incrementAndGet();
        dynamo.ensureTable(template, name);
        LocalQueues queues = sqs.createQueues(template, name);
        FunctionHost host = new FunctionHost(template, name, dynamo.endpoint(), env, () -> queues);
        seed(Services.fromEnvironment(new Env(host.environment(template.function("ApiFunction")))).store(), n);
        BatchReport report = new BatchReport();
        LiveHeap heap = new LiveHeap(n);
        LocalBatch.Result result = new LocalBatch(template, queues, sqs.client()).run(host, concurrency, outcome -> {
            report.add(outcome);
            heap.done();
        });
        return new Measured(result.wall(), heap.peakBytes(), report);
    }

    /** {@code n} conversations of one agent, each just over its due threshold. */
    private static void seed(ConversationStore store, int n) {
        Agent agent = store.createAgent(Seeder.TENANT, new Agent(Ids.newAgentId(), "bench", "anthropic/claude-haiku-4-5",
                CONTEXT_WINDOW, "You are a deployment assistant.", "UTC",
                AgentCompactionSettings.defaultsWith("openai/gpt-4o-mini"), Instant.now()));
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < MESSAGES_PER_CONVERSATION; i++) {
            String text = (i % 2 == 0 ? "Please review the deployment notes of service-" : "Reviewed the notes of service-") + i
                    + ": " + "build 4411 passed its checks, the rollout waits for the staging sign-off. ".repeat(12);
            messages.add(Message.text(i % 2 == 0 ? Role.USER : Role.ASSISTANT, text));
        }
        ExecutorService threads = Executors.newFixedThreadPool(SEED_THREADS);
        try {
            List<Future<?>> seeded = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                seeded.add(threads.submit(() -> {
                    String id = Ids.newConversationId();
                    store.createConversation(Seeder.TENANT, agent, id);
                    store.append(Seeder.TENANT, id, messages);
                }));
            }
            for (Future<?> f : seeded) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("seeding failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while seeding", e);
        } finally {
            threads.shutdownNow();
        }
    }
}
