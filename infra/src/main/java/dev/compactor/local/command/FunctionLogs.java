package dev.compactor.local.command;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the functions' own output goes while a local command runs. In Lambda, a function's JSON
 * log lines (stderr) and EMF metrics (stdout) are for CloudWatch, not for a person: here they go
 * to a log file named when the command ends, and with {@code --verbose} to stderr instead. What
 * the command says to its user goes to {@link #console()}, the process's real stderr, either way.
 *
 * <p>Redirects {@code System.out} and {@code System.err}, which the functions, DynamoDB Local and
 * ElasticMQ write to, so one instance at a time, opened and closed by the command's thread.
 */
public final class FunctionLogs implements AutoCloseable {
    public static final String VERBOSE = "--verbose";

    private final PrintStream console;
    private final PrintStream savedOut;
    private final PrintStream savedErr;
    private final Path file;
    private final PrintStream fileStream;

    private FunctionLogs(PrintStream console, PrintStream savedOut, Path file, PrintStream fileStream) {
        this.console = console;
        this.savedOut = savedOut;
        this.savedErr = console;
        this.file = file;
        this.fileStream = fileStream;
    }

    /**
     * @param command names the file ({@code compaction-<command>-….log} in the temporary directory)
     * @param verbose leave the functions' output on stderr, with no file
     */
    public static FunctionLogs open(String command, boolean verbose) {
        PrintStream console = System.err;
        PrintStream out = System.out;
        if (verbose) {
            System.setOut(console);
            return new FunctionLogs(console, out, null, null);
        }
        try {
            Path file = Files.createTempFile("compaction-" + command + "-", ".log");
            PrintStream stream = new PrintStream(Files.newOutputStream(file), true, StandardCharsets.UTF_8);
            System.setOut(stream);
            System.setErr(stream);
            return new FunctionLogs(console, out, file, stream);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the log file: " + e.getMessage(), e);
        }
    }

    /** The process's stderr: for what the command tells its user (progress, notes, errors). */
    public PrintStream console() {
        return console;
    }

    /** The log file, or empty with {@code --verbose}. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /** One line telling the user where the functions' logs are. */
    public String whereTheyAre() {
        return file == null ? "function logs: on stderr (--verbose)" : "function logs: " + file;
    }

    /** Puts stdout and stderr back and, when there is a file, names it on the console. */
    @Override
    public void close() {
        System.setOut(savedOut);
        System.setErr(savedErr);
        if (fileStream != null) {
            fileStream.close();
            console.println(whereTheyAre());
        }
    }
}
