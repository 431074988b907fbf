package dev.compactor.local.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.support.Log;
import dev.compactor.support.Metrics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FunctionLogsTest {
    private final PrintStream realOut = System.out;
    private final PrintStream realErr = System.err;
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();

    @BeforeEach
    void captureTheProcessStreams() {
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(console, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreThem() {
        System.setOut(realOut);
        System.setErr(realErr);
    }

    private static void functionWritesALogLineAndMetrics() {
        Log.info("probe.event", "conversation_id", "conv-1");
        new Metrics("Probe", Clock.systemUTC()).emit(Map.of("Service", "probe"), List.of(List.of("Service")),
                List.of(new Metrics.Metric("Latency", 12, "Milliseconds")), Map.of());
    }

    @Test
    void theFunctionsLogLinesAndMetricsGoToTheFileNamedAtTheEndNotToTheConsole() throws Exception {
        Path file;
        try (FunctionLogs logs = FunctionLogs.open("probe", false)) {
            functionWritesALogLineAndMetrics();
            logs.console().println("a note for the user");
            file = logs.file().orElseThrow();
        }

        String shown = console.toString(StandardCharsets.UTF_8);
        assertThat(shown).isEqualTo("a note for the user\nfunction logs: " + file + "\n");
        assertThat(stdout.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(Files.readString(file)).contains("\"event\":\"probe.event\"").contains("\"_aws\"");
        Files.delete(file);
    }

    @Test
    void verboseSendsTheLogLinesAndMetricsToStderrAndNamesNoFile() {
        try (FunctionLogs logs = FunctionLogs.open("probe", true)) {
            functionWritesALogLineAndMetrics();
            assertThat(logs.file()).isEmpty();
        }

        String shown = console.toString(StandardCharsets.UTF_8);
        assertThat(shown).contains("\"event\":\"probe.event\"").contains("\"_aws\"").doesNotContain("function logs:");
        assertThat(stdout.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void closingPutsTheProcessStreamsBack() throws Exception {
        PrintStream out = System.out;
        PrintStream err = System.err;
        FunctionLogs logs = FunctionLogs.open("probe", false);

        logs.close();

        assertThat(System.out).isSameAs(out);
        assertThat(System.err).isSameAs(err);
        Files.delete(logs.file().orElseThrow());
    }
}
