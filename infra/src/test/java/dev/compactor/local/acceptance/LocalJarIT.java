package dev.compactor.local.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.compactor.conversation.Ids;
import dev.compactor.local.command.Seeder;
import dev.compactor.support.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged runtime as a user runs it: {@code java -jar infra/target/compaction-local.jar ...}. */
class LocalJarIT {
    static final Path JAR = Path.of("target", "compaction-local.jar");
    static final String JAVA = ProcessHandle.current().info().command().orElse("java");
    static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");
    @TempDir
    Path data;

    /** A running command whose stdout lines arrive on a queue. */
    record Running(Process process, BlockingQueue<String> stdout, StringBuffer stderr) {
        String nextLine(long seconds) throws InterruptedException {
            String line = stdout.poll(seconds, TimeUnit.SECONDS);
            assertThat(line).as("stdout line within %ds; stderr so far:%n%s", seconds, stderr).isNotNull();
            return line;
        }

        int exit(long seconds) throws InterruptedException {
            assertThat(process.waitFor(seconds, TimeUnit.SECONDS)).as("exited; stderr:%n%s", stderr).isTrue();
            return process.exitValue();
        }
    }

    static Running start(String java, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(java, "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).start();
        BlockingQueue<String> out = new LinkedBlockingQueue<>();
        StringBuffer err = new StringBuffer();
        Thread.ofVirtual().start(() -> pump(p.getInputStream(), out::add));
        Thread.ofVirtual().start(() -> pump(p.getErrorStream(), line -> err.append(line).append('\n')));
        return new Running(p, out, err);
    }

    private static void pump(java.io.InputStream in, java.util.function.Consumer<String> sink) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                sink.accept(line);
            }
        } catch (IOException e) {
            sink.accept("<stream failed: " + e + ">");
        }
    }

    static String output(Running r) throws InterruptedException {
        int status = r.exit(120);
        assertThat(status).as("exit status; stderr:%n%s", r.stderr()).isZero();
        List<String> lines = new ArrayList<>();
        r.stdout().drainTo(lines);
        return String.join("\n", lines);
    }

    @Test
    void demoExitsZeroAndPrintsAReduction() throws Exception {
        String out = output(start(JAVA, "demo"));

        assertThat(out).contains("200 OK in");
        Matcher before = Pattern.compile("before\\s+(\\d+)\\s+(\\d+)").matcher(out);
        Matcher after = Pattern.compile("after\\s+(\\d+)\\s+(\\d+)").matcher(out);
        assertThat(before.find() && after.find()).as(out).isTrue();
        assertThat(Long.parseLong(after.group(1))).isLessThan(Long.parseLong(before.group(1)));
        assertThat(Long.parseLong(after.group(2))).isLessThan(Long.parseLong(before.group(2)));
        assertThat(out).contains("Summary now at the head of the conversation:");
    }

    static final Pattern LOG_FILE = Pattern.compile("(?m)^function logs: (\\S+)$");

    /** What a person must not see among the results: a function's JSON log line or an EMF metrics document. */
    static final Pattern FUNCTION_OUTPUT = Pattern.compile("(?m)^\\{\"(time|_aws)\"");

    @Test
    void demoWritesTheFunctionsLogsToTheFileItNamesAtTheEnd() throws Exception {
        Running demo = start(JAVA, "demo");
        String out = output(demo);

        String err = demo.stderr().toString();
        assertThat(FUNCTION_OUTPUT.matcher(out).find()).as(out).isFalse();
        assertThat(FUNCTION_OUTPUT.matcher(err).find()).as(err).isFalse();
        Matcher named = LOG_FILE.matcher(err);
        assertThat(named.find()).as(err).isTrue();
        assertThat(err.strip()).endsWith(named.group());
        String logged = Files.readString(Path.of(named.group(1)));
        assertThat(logged).contains("\"event\":\"api.request\"").contains("{\"_aws\":");
        Files.delete(Path.of(named.group(1)));
    }

    @Test
    void demoVerboseSendsTheFunctionsLogsToStderrAndKeepsStdoutForTheReport() throws Exception {
        Running demo = start(JAVA, "demo", "--verbose");
        String out = output(demo);

        String err = demo.stderr().toString();
        assertThat(out).contains("Summary now at the head of the conversation:");
        assertThat(FUNCTION_OUTPUT.matcher(out).find()).as(out).isFalse();
        assertThat(err).contains("\"event\":\"api.request\"").contains("{\"_aws\":");
        assertThat(LOG_FILE.matcher(err).find()).as(err).isFalse();
    }

    @Test
    void startApiServesASeededConversationAndStopsCleanlyOnSigterm() throws Exception {
        String id = Ids.newConversationId();
        assertThat(output(start(JAVA, "seed", "--data", data.toString(), "--conversation-id", id))).isEqualTo(id);
        Running api = start(JAVA, "start-api", "--data", data.toString(), "--port", "0");
        Matcher listening = LISTENING.matcher(api.nextLine(60));
        assertThat(listening.matches()).isTrue();
        String url = "http://127.0.0.1:" + listening.group(1) + "/v1/conversations/" + id + "/compact";
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest compact = HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofString("{\"compaction_settings\":{\"mode\":\"all\"}}")).build();

        HttpResponse<String> first = http.send(compact, HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> second = http.send(compact, HttpResponse.BodyHandlers.ofString());
        signal(api, "TERM");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(Json.parseObject(first.body())).containsKeys("summary", "num_messages_before", "num_messages_after");
        assertThat(second.statusCode()).isEqualTo(400);
        assertThat(api.exit(30)).isZero();
        assertThat(api.stderr().toString()).contains("stopped");
    }

    @Test
    void startApiWithAKeyFileServesEachKeysTenantAndRefusesRequestsWithoutOne() throws Exception {
        Path keys = data.resolve("keys.json");
        Files.writeString(keys, "{\"ck_acme_local_0123456789abcd\": \"acme\", \"ck_globex_local_0123456789ab\": \"globex\"}");
        Running api = start(JAVA, "start-api", "--port", "0", "--keys", keys.toString());
        Matcher listening = LISTENING.matcher(api.nextLine(60));
        assertThat(listening.matches()).isTrue();
        String base = "http://127.0.0.1:" + listening.group(1);
        HttpClient http = HttpClient.newHttpClient();

        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/usage")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/agents"))
                .header("Authorization", "Bearer ck_acme_local_0123456789abcd")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"local/extractive\"}")).build(), HttpResponse.BodyHandlers.ofString());
        String agent = base + "/v1/agents/" + Json.parseObject(created.body()).get("id");
        HttpResponse<String> own = http.send(HttpRequest.newBuilder(URI.create(agent)).header("x-api-key", "ck_acme_local_0123456789abcd")
                .build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> other = http.send(HttpRequest.newBuilder(URI.create(agent)).header("x-api-key", "ck_globex_local_0123456789ab")
                .build(), HttpResponse.BodyHandlers.ofString());
        signal(api, "TERM");

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(api.exit(30)).isZero();
        assertThat(api.stderr().toString()).contains("authorizer on: 2 API keys of tenants [acme, globex]")
                .doesNotContain("ck_acme_local_0123456789abcd");
    }

    @Test
    void startApiStopsCleanlyOnSigint() throws Exception {
        Running api = start(JAVA, "start-api", "--port", "0");
        assertThat(api.nextLine(60)).matches(LISTENING);

        signal(api, "INT");

        assertThat(api.exit(30)).isZero();
        assertThat(api.stderr().toString()).contains("stopped");
    }

    /** Sends a signal the way a shell does ({@code Process.destroy()} would also close our end of the pipes). */
    static void signal(Running running, String name) throws IOException, InterruptedException {
        assertThat(new ProcessBuilder("kill", "-" + name, Long.toString(running.process().pid())).start().waitFor()).isZero();
    }

    @Test
    void invokePrintsOnlyTheFunctionsResponseOnStdout() throws Exception {
        output(start(JAVA, "seed", "--data", data.toString(), "--conversation-id", Seeder.SAMPLE_CONVERSATION_ID));

        String out = output(start(JAVA, "invoke", "ApiFunction", "-e", "../events/compact-all.json", "--data", data.toString()));

        Map<String, Object> response = Json.parseObject(out);
        assertThat(response).containsEntry("statusCode", 200L);
        assertThat(Json.parseObject((String) response.get("body"))).containsEntry("num_messages_after", 2L);
    }

    @Test
    void theJarStartsOnAnOlderDefaultJavaByRelaunchingOnAJdk21() throws Exception {
        String oldJava = olderJava();
        assumeTrue(oldJava != null, "no JDK older than 21 on this machine");

        String out = output(start(oldJava, "help"));

        assertThat(out).contains("usage: java -jar infra/target/compaction-local.jar");
    }

    private static String olderJava() throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return null;
        }
        try (Stream<Path> homes = Files.list(jvms)) {
            for (Path home : homes.toList()) {
                Path release = home.resolve("release");
                if (Files.isRegularFile(release) && Files.isExecutable(home.resolve("bin/java"))) {
                    Matcher m = Pattern.compile("JAVA_VERSION=\"(\\d+)").matcher(Files.readString(release));
                    if (m.find() && Integer.parseInt(m.group(1)) >= 17 && Integer.parseInt(m.group(1)) < 21) {
                        return home.resolve("bin/java").toString();
                    }
                }
            }
        }
        return null;
    }
}
