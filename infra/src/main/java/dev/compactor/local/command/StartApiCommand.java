package dev.compactor.local.command;

import dev.compactor.conversation.dynamo.DynamoApiKeys;
import dev.compactor.local.emulator.ApiGatewayEmulator;
import dev.compactor.local.runtime.LocalDueLoop;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * {@code start-api}: the template's API on a local port, until SIGINT or SIGTERM; with
 * {@code --keys FILE}, behind the template's authorizer with the file's API keys. The terminal
 * shows the routes, the authorizer's state and where the function logs are; each request's log
 * line ({@code api.request}) goes to that file, or to stderr with {@code --verbose}. Unless
 * {@value #NO_DUE_STREAM}, the table's stream feeds the due-stream function through the template's
 * filter and the compaction queue feeds the batch worker, so a conversation that becomes due is
 * compacted within seconds, as deployed ({@link LocalDueLoop}).
 */
public final class StartApiCommand {
    /** Turns off the local due stream (stream → due-stream function → queue → batch worker). */
    public static final String NO_DUE_STREAM = "--no-due-stream";

    private StartApiCommand() {}

    public static int run(Args args, PrintStream stdout, FunctionLogs logs) {
        if (!args.positional().isEmpty()) {
            throw new Args.UsageException("start-api takes no positional arguments");
        }
        String host = args.get("--host", "127.0.0.1");
        int port = args.integer("--port", 3000);
        ApiKeyFile keys = args.path("--keys") == null ? null : ApiKeyFile.read(args.path("--keys"));
        LocalRuntime runtime = LocalRuntime.start(args.path("--data"), args.path("--template"), System.getenv());
        ApiGatewayEmulator api;
        try {
            if (keys != null) {
                try (DynamoDbClient client = runtime.dynamo.client()) {
                    keys.register(new DynamoApiKeys(client, runtime.tableName, Clock.systemUTC()));
                }
            }
            api = new ApiGatewayEmulator(runtime.host, host, port, keys != null);
        } catch (IOException e) {
            runtime.close();
            throw new UncheckedIOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        PrintStream console = logs.console();
        LocalDueLoop dueLoop = args.flag(NO_DUE_STREAM) ? null : dueLoop(runtime);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            api.close();
            if (dueLoop != null) {
                dueLoop.close();
            }
            runtime.close();
            console.println(logs.file().map(file -> "stopped; function logs: " + file).orElse("stopped"));
            stopped.countDown();
            // A signal is how this server is meant to end: report success once everything is closed.
            Runtime.getRuntime().halt(0);
        }, "shutdown"));
        api.start();
        for (String route : api.routes()) {
            console.println("route " + route);
        }
        console.println(logs.whereTheyAre() + (logs.file().isPresent() ? " (follow requests with tail -f)" : ""));
        console.println(keys == null ? "authorizer off (no --keys): every request is tenant 'local'"
                : "authorizer on: " + keys.size() + " API keys of tenants " + keys.tenants()
                        + " (Authorization: Bearer <key> or x-api-key: <key>)");
        console.println(dueLoop == null ? "due stream off (" + NO_DUE_STREAM + "): due conversations wait for `batch`"
                : "due stream on: a conversation entering the due state is queued and compacted by the batch worker");
        stdout.println("listening on http://" + host + ":" + api.port());
        stdout.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static LocalDueLoop dueLoop(LocalRuntime runtime) {
        DynamoDbStreamsClient streams = runtime.dynamo.streams();
        try {
            return LocalDueLoop.start(runtime.host, streams, runtime.dynamo.streamArn(runtime.tableName), runtime.queues(),
                    runtime.sqs().client(), outcome -> { });
        } catch (RuntimeException e) {
            streams.close();
            runtime.close();
            throw e;
        }
    }
}
