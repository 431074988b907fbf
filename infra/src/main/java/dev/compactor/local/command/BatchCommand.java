package dev.compactor.local.command;

import dev.compactor.local.runtime.LocalBatch;
import dev.compactor.local.runtime.LocalDueLoop;
import dev.compactor.local.runtime.LocalStreamEventSource;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import java.io.PrintStream;

/**
 * {@code batch}: one scheduled run on this machine — discovery sends the due conversations to the
 * queue (ElasticMQ) while {@code --concurrency} workers compact them against DynamoDB Local —
 * with progress on stderr and the report on stdout; the functions' log lines go where
 * {@link FunctionLogs} sends them, so they never break up the progress bar. The table's stream
 * feeds the due-stream function meanwhile, as deployed: a conversation a compaction leaves still
 * due is queued again at its new generation and drained in the same run.
 */
public final class BatchCommand {
    public static final int MAX_CONCURRENCY = 256;

    private BatchCommand() {}

    public static int run(Args args, PrintStream stdout, FunctionLogs logs) {
        try (LocalRuntime runtime = LocalRuntime.start(args.path("--data"), args.path("--template"), System.getenv())) {
            LocalBatch batch = new LocalBatch(runtime.template, runtime.queues(), runtime.sqs().client());
            int concurrency = args.integer("--concurrency", batch.deployedConcurrency());
            if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
                throw new Args.UsageException("--concurrency must be from 1 to " + MAX_CONCURRENCY);
            }
            BatchReport report = new BatchReport();
            LocalBatch.Result result;
            try (DynamoDbStreamsClient streams = runtime.dynamo.streams();
                 LocalStreamEventSource stream = LocalDueLoop.stream(runtime.host, streams, runtime.dynamo.streamArn(runtime.tableName));
                 ProgressBar progress = new ProgressBar(logs.console(), ProgressBar.stderrIsTerminal(), report::done, batch::sent)) {
                result = batch.run(runtime.host, concurrency, report::add);
            }
            stdout.print(report.render(result.discovery(), result.wall().toMillis() / 1000.0));
        }
        return 0;
    }
}
