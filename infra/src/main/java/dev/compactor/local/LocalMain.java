package dev.compactor.local;

import dev.compactor.local.bench.BenchBatchCommand;
import dev.compactor.local.bench.BenchDueCommand;
import dev.compactor.local.bench.BenchPlanCommand;
import dev.compactor.local.bench.BenchStoreCommand;
import dev.compactor.local.bench.InitBenchmark;
import dev.compactor.local.command.Args;
import dev.compactor.local.command.BatchCommand;
import dev.compactor.local.command.DemoCommand;
import dev.compactor.local.command.FunctionLogs;
import dev.compactor.local.command.InvokeCommand;
import dev.compactor.local.command.SeedCommand;
import dev.compactor.local.command.StartApiCommand;
import dev.compactor.local.eval.EvalCommand;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code compaction-local}: runs the function without AWS. stdout carries only each command's
 * result, stderr what it tells its user; what the functions, DynamoDB Local and ElasticMQ log goes
 * to a file named at the end ({@link FunctionLogs}), or to stderr with {@code --verbose}.
 */
public final class LocalMain {
    static final String USAGE = """
            usage: java -jar infra/target/compaction-local.jar <command> [options]

              start-api [--port 3000] [--host 127.0.0.1] [--data DIR] [--keys FILE] [--no-due-stream]
                  Serve every API route of template.yaml on HTTP, backed by DynamoDB Local. With --keys
                  (a JSON object of API keys to tenants), requests go through the template's authorizer
                  and need a key (Authorization: Bearer KEY or x-api-key: KEY); without, all are tenant 'local'.
                  The table's stream feeds the due-stream function through the template's filter, and the
                  queue the batch worker, so a conversation is compacted as soon as it is due; --no-due-stream
                  turns that off.
              invoke FUNCTION -e EVENT.json [--data DIR]
                  Invoke one function (logical id in template.yaml) with an event; print its response.
              demo [--data DIR] [--mode MODE]
                  Seed a sample conversation, compact it through the API, print before and after.
              seed [--data DIR] [--conversation-id ID] [--agent-id ID] [--agent-model HANDLE] [--context-window N]
                  Store the sample agent and a conversation holding the sample session; print its id.
              batch [--concurrency N] [--data DIR]
                  Run scheduled compaction once: discovery sends due conversations to the queue (ElasticMQ),
                  N workers compact them (default: the template's maximum concurrency); progress on stderr.
              bench-batch [--sizes 500,1000,2000] [--latency-ms 100] [--concurrency 32]
                  Batch-compact N due conversations through a stub OpenAI server of fixed latency; print the
                  wall time against the ideal (N x latency / concurrency) and the peak live heap, per N.
              bench-due [--conversations 200] [--latency-ms 100] [--interval-ms 50]
                  Time from the append that makes a conversation due to its committed compaction (table stream →
                  due-stream function → queue → worker, stub OpenAI summaries of fixed latency); print p50 and p95.
              bench-plan [--sizes 1000,10000,100000] [--runs 15]
                  Time the plan step (what a dry run does) per conversation size; print µs per message.
              bench-store [--sizes 100,1000,10000] [--runs 3] [--tables store,overhead,context]
                  Measure one compaction's DynamoDB reads and commit (capacity units, time) by conversation length.
              bench-init [--zip function/target/compaction-function.zip] [--runs 5] [--services-class dev.compactor.app.Services]
                  Time the function's init and first summaries, Bedrock only (unprimed and primed as SnapStart
                  primes it) and with the HTTP adapters, each run in a fresh JVM on the Lambda zip's class path;
                  print every run and the medians.

              eval --data FILE.jsonl [--models local/extractive,openai/gpt-4o-mini] [--modes all,sliding_window]
                   [--report eval-report.html] [--plot FILE.svg]
                  Compact every conversation of the set with every model in every mode, in memory; print per model
                  identifier retention, compression, latency, cost, gate results and fallbacks; write an HTML report.

              --data DIR      keep DynamoDB Local's data in DIR (default: in memory), shared by all commands
              --template F    use F instead of ./template.yaml (or the copy inside the jar)
              --verbose       the functions' log lines and EMF metrics on stderr; without it, commands that run
                              functions write them to a file (compaction-COMMAND-*.log in the temporary directory)
                              and name it on stderr (start-api when it starts, the others when they end)
            The process environment is passed to the functions, as `sam local --env-vars` would.
            """;

    /** The commands that run the template's functions, whose logs go to a file unless {@code --verbose}. */
    private static final Set<String> RUNS_FUNCTIONS =
            Set.of("start-api", "invoke", "demo", "seed", "batch", "bench-batch", "bench-due", "bench-store", "eval");

    private LocalMain() {}

    public static void main(String[] argv) {
        PrintStream stdout = System.out;
        System.setOut(System.err);
        if (argv.length == 0 || Set.of("help", "-h", "--help").contains(argv[0])) {
            stdout.print(USAGE);
            return;
        }
        List<String> rest = Arrays.asList(argv).subList(1, argv.length);
        int status;
        try {
            status = RUNS_FUNCTIONS.contains(argv[0]) ? runWithFunctionLogs(argv[0], rest, stdout) : runAlone(argv[0], rest, stdout);
        } catch (Args.UsageException e) {
            System.err.println("error: " + e.getMessage());
            System.err.print(USAGE);
            status = 2;
        } catch (RuntimeException e) {
            System.err.println("error: " + e.getMessage());
            status = 1;
        }
        stdout.flush();
        System.exit(status);
    }

    private static int runWithFunctionLogs(String command, List<String> rest, PrintStream stdout) {
        boolean verbose = rest.contains(FunctionLogs.VERBOSE);
        try (FunctionLogs logs = FunctionLogs.open(command, verbose)) {
            return switch (command) {
                case "start-api" -> StartApiCommand.run(args(rest, "--port", "--host", "--data", "--template", "--keys",
                        StartApiCommand.NO_DUE_STREAM), stdout, logs);
                case "invoke" -> InvokeCommand.run(args(rest, "--event", "--data", "--template"), stdout);
                case "demo" -> DemoCommand.run(args(rest, "--data", "--template", "--mode"), stdout);
                case "seed" -> SeedCommand.run(args(rest, "--data", "--template", "--conversation-id", "--agent-id",
                        "--agent-model", "--context-window"), stdout, logs);
                case "batch" -> BatchCommand.run(args(rest, "--concurrency", "--data", "--template"), stdout, logs);
                case "bench-batch" -> BenchBatchCommand.run(args(rest, "--sizes", "--latency-ms", "--concurrency"), stdout);
                case "bench-due" -> BenchDueCommand.run(args(rest, "--conversations", "--latency-ms", "--interval-ms", "--template"),
                        stdout);
                case "bench-store" -> BenchStoreCommand.run(args(rest, "--sizes", "--runs", "--tables", "--template"), stdout);
                case "eval" -> EvalCommand.run(args(rest, EvalCommand.OPTIONS.toArray(String[]::new)), stdout);
                default -> throw new IllegalStateException("not a function command: " + command);
            };
        }
    }

    private static int runAlone(String command, List<String> rest, PrintStream stdout) {
        return switch (command) {
            case "bench-plan" -> BenchPlanCommand.run(new Args(rest, Set.of("--sizes", "--runs")), stdout);
            case "bench-init" -> InitBenchmark.run(new Args(rest, Set.of("--zip", "--runs", "--services-class")), stdout);
            default -> throw new Args.UsageException("unknown command " + command);
        };
    }

    /** The command's options, and {@code --verbose}, which every command running functions takes. */
    private static Args args(List<String> rest, String... options) {
        Set<String> known = new HashSet<>(Arrays.asList(options));
        known.add(FunctionLogs.VERBOSE);
        return new Args(rest, known);
    }
}
