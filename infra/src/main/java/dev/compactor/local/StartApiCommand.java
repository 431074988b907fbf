package dev.compactor.local;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.concurrent.CountDownLatch;

/** {@code start-api}: the template's API on a local port, until SIGINT or SIGTERM. */
final class StartApiCommand {
    private StartApiCommand() {}

    static int run(Args args, PrintStream stdout) {
        if (!args.positional().isEmpty()) {
            throw new Args.UsageException("start-api takes no positional arguments");
        }
        String host = args.get("--host", "127.0.0.1");
        int port = args.integer("--port", 3000);
        LocalRuntime runtime = LocalRuntime.start(args.path("--data"), args.path("--template"), System.getenv());
        ApiGatewayEmulator api;
        try {
            api = new ApiGatewayEmulator(runtime.host, host, port);
        } catch (IOException e) {
            runtime.close();
            throw new UncheckedIOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            api.close();
            runtime.close();
            System.err.println("stopped");
            stopped.countDown();
            // A signal is how this server is meant to end: report success once everything is closed.
            Runtime.getRuntime().halt(0);
        }, "shutdown"));
        api.start();
        for (String route : api.routes()) {
            System.err.println("route " + route);
        }
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
