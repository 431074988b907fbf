package dev.compactor.local.command;

import dev.compactor.local.runtime.LocalBatch;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code batch}: one scheduled run on this machine — discovery sends the due conversations to the
 * queue (ElasticMQ) while {@code --concurrency} workers compact them against DynamoDB Local —
 * with progress on stderr and the report on stdout. On a terminal the functions' log lines go to
 * a file instead of stderr, so they do not break up the progress bar.
 */
public final class BatchCommand {
    public static final int MAX_CONCURRENCY = 256;

    private BatchCommand() {}

    public static int run(Args args, PrintStream stdout) {
        PrintStream stderr = System.err;
        boolean terminal = ProgressBar.stderrIsTerminal();
        PrintStream logFile = null;
        try (LocalRuntime runtime = LocalRuntime.start(args.path("--data"), args.path("--template"), System.getenv())) {
            LocalBatch batch = new LocalBatch(runtime.template, runtime.queues(), runtime.sqs().client());
            int concurrency = args.integer("--concurrency", batch.deployedConcurrency());
            if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
                throw new Args.UsageException("--concurrency must be from 1 to " + MAX_CONCURRENCY);
            }
            if (terminal) {
                Path log = Files.createTempFile("compaction-batch-", ".log");
                stderr.println("function logs: " + log);
                logFile = new PrintStream(Files.newOutputStream(log), true, StandardCharsets.UTF_8);
                System.setErr(logFile);
            }
            BatchReport report = new BatchReport();
            LocalBatch.Result result;
            try (ProgressBar progress = new ProgressBar(stderr, terminal, report::done, batch::sent)) {
                result = batch.run(runtime.host, concurrency, report::add);
            }
            stdout.print(report.render(result.discovery(), result.wall().toMillis() / 1000.0));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the log file: " + e.getMessage(), e);
        } finally {
            System.setErr(stderr);
            if (logFile != null) {
                logFile.close();
            }
        }
        return 0;
    }
}
