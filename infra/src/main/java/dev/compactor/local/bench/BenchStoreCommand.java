package dev.compactor.local.bench;

import dev.compactor.app.Services;
import dev.compactor.compaction.CompactionService;
import dev.compactor.conversation.Agent;
import dev.compactor.conversation.ConversationStore;
import dev.compactor.conversation.Ids;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.MessageStore;
import dev.compactor.local.command.Args;
import dev.compactor.local.command.LocalRuntime;
import dev.compactor.local.command.SampleConversation;
import dev.compactor.support.Env;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code bench-store}: what one compaction costs in DynamoDB as a conversation grows — read
 * calls and read units to load the context, write units of the commit (which must not grow), and
 * the time of both against DynamoDB Local. Each size is measured on fresh conversations holding
 * the sample session repeated, compacted once with the default sliding window and the offline
 * summarizer, after one unmeasured warm-up compaction; the medians are printed.
 */
public final class BenchStoreCommand {
    private static final String TENANT = "bench";

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
        try (LocalRuntime runtime = LocalRuntime.start(null, args.path("--template"), Map.of())) {
            DynamoCallMeter meter = new DynamoCallMeter();
            Env env = new Env(runtime.host.environment(runtime.template.function("ApiFunction")));
            Services services = new Services(env, runtime.dynamo.client(meter), Services.summarizers(env)::forModel, Clock.systemUTC());
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
        return 0;
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

    private static double median(List<Measured> measured, java.util.function.ToDoubleFunction<Measured> value) {
        double[] sorted = measured.stream().mapToDouble(value).sorted().toArray();
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }
}
