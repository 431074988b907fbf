package dev.compactor.local.command;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code invoke FUNCTION -e EVENT}: like {@code sam local invoke}; the response on stdout, the
 * function's logs where {@link FunctionLogs} sends them.
 */
public final class InvokeCommand {
    private InvokeCommand() {}

    public static int run(Args args, PrintStream stdout) {
        if (args.positional().size() != 1) {
            throw new Args.UsageException("invoke needs exactly one FUNCTION (a logical id from template.yaml)");
        }
        Path eventFile = args.path("--event");
        if (eventFile == null) {
            throw new Args.UsageException("invoke needs -e EVENT.json");
        }
        String event;
        try {
            event = Files.readString(eventFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read event file " + eventFile + ": " + e.getMessage(), e);
        }
        try (LocalRuntime runtime = LocalRuntime.start(args.path("--data"), args.path("--template"), System.getenv())) {
            stdout.println(runtime.host.invoke(args.positional().get(0), event));
        }
        return 0;
    }
}
