package dev.compactor.local.command;

import dev.compactor.conversation.dynamo.DynamoApiKeys;
import dev.compactor.local.emulator.ApiGatewayEmulator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code start-api}: the template's API on a local port, until SIGINT or SIGTERM; with
 * {@code --keys FILE}, behind the template's authorizer with the file's API keys. The terminal
 * shows the routes, the authorizer's state and where the function logs are; each request's log
 * line ({@code api.request}) goes to that file, or to stderr with {@code --verbose}.
 */
public final class StartApiCommand {
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
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            api.close();
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
        stdout.println("listening on http://" + host + ":" + api.port());
        stdout.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
