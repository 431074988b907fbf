package dev.compactor.local.bench;

import dev.compactor.local.command.Args;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * {@code bench-init}: the function's init time with and without the HTTP adapters, each run in a
 * fresh JVM on the deployable zip's class path (as Lambda loads it) with Lambda's
 * {@code -XX:TieredStopAtLevel=1}. Scenario {@code bedrock}: handler init and the first Bedrock
 * summary; {@code primed}: the same with the Bedrock adapter built first, as the SnapStart hooks
 * build it before the snapshot (its time is {@code priming_ms}, no longer part of the first
 * summary); {@code http}: as {@code bedrock}, plus the first OpenAI, Anthropic and Gemini summaries;
 * {@code http-primed}: the same after the wire priming the SnapStart hooks run (its time is {@code priming_ms});
 * {@code api-event} and {@code api-event-primed}: the handler's first event that reaches no AWS
 * service, without and with the SnapStart priming (see {@link InitProbe}).
 */
public final class InitBenchmark implements AutoCloseable {
    static final Path DEFAULT_ZIP = Path.of("function", "target", "compaction-function.zip");
    static final List<String> SCENARIOS = List.of("bedrock", "primed", "http", InitProbe.HTTP_PRIMED, InitProbe.API_EVENT, InitProbe.API_EVENT + "-primed");

    private final Path dir;

    private InitBenchmark(Path dir) {
        this.dir = dir;
    }

    /** Unpacks the Lambda zip and the probe into a scratch directory. */
    public static InitBenchmark prepare(Path zip) {
        try {
            Path dir = Files.createTempDirectory("init-bench");
            Path lambda = dir.resolve("lambda");
            try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
                for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                    Path target = lambda.resolve(e.getName()).normalize();
                    if (!target.startsWith(lambda)) {
                        throw new IOException("zip entry outside the archive: " + e.getName());
                    }
                    if (e.isDirectory()) {
                        Files.createDirectories(target);
                    } else {
                        Files.createDirectories(target.getParent());
                        Files.copy(in, target);
                    }
                }
            }
            Path probe = dir.resolve("probe/" + InitProbe.class.getName().replace('.', '/') + ".class");
            Files.createDirectories(probe.getParent());
            try (InputStream bytes = InitProbe.class.getResourceAsStream("InitProbe.class")) {
                Files.copy(bytes, probe);
            }
            return new InitBenchmark(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + zip, e);
        }
    }

    /** Runs the probe once in a new JVM; returns its output (timings, and anything {@code jvmOptions} make the JVM print). */
    public String run(String scenario, List<String> jvmOptions) {
        return run(scenario, jvmOptions, InitProbe.SERVICES_CLASS);
    }

    /** As {@link #run(String, List)}, on an artifact whose wiring class is {@code servicesClass}. */
    public String run(String scenario, List<String> jvmOptions, String servicesClass) {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classPath = String.join(File.pathSeparator, dir.resolve("lambda").toString(), dir.resolve("lambda/lib/*").toString(),
                dir.resolve("probe").toString());
        List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classPath, InitProbe.class.getName(), scenario, servicesClass));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException("init probe failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The probe's {@code key=value} timing line. */
    public static Map<String, String> timings(String output) {
        Map<String, String> values = new LinkedHashMap<>();
        output.lines().filter(l -> l.startsWith("scenario=")).findFirst().ifPresent(line -> {
            for (String pair : line.split(" ")) {
                String[] kv = pair.split("=", 2);
                values.put(kv[0], kv[1]);
            }
        });
        return values;
    }

    public static int run(Args args, PrintStream out) {
        Path zip = Path.of(args.get("--zip", DEFAULT_ZIP.toString()));
        int runs = args.integer("--runs", 5);
        String servicesClass = args.get("--services-class", InitProbe.SERVICES_CLASS);
        Map<String, List<Map<String, String>>> results = new LinkedHashMap<>();
        try (InitBenchmark bench = prepare(zip)) {
            for (int i = 0; i < runs; i++) {
                for (String scenario : SCENARIOS) {
                    Map<String, String> t = timings(bench.run(scenario, List.of(), servicesClass));
                    out.println(t);
                    results.computeIfAbsent(scenario, s -> new ArrayList<>()).add(t);
                }
            }
        }
        for (var e : results.entrySet()) {
            StringBuilder line = new StringBuilder("median " + e.getKey() + ":");
            for (String key : e.getValue().getFirst().keySet()) {
                if (!key.equals("scenario")) {
                    line.append(String.format(" %s=%.1f", key, median(e.getValue(), key)));
                }
            }
            out.println(line);
        }
        return 0;
    }

    private static double median(List<Map<String, String>> runs, String key) {
        List<Double> values = runs.stream().map(r -> Double.parseDouble(r.get(key))).sorted().toList();
        int n = values.size();
        return n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
    }

    @Override
    public void close() {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
