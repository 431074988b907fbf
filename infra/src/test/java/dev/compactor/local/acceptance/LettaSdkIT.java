package dev.compactor.local.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.local.command.StartApiCommand;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;

/**
 * Letta's official TypeScript client (infra/sdk-acceptance, installed by the build with
 * {@code npm ci}) against the packaged local runtime with API keys on (the template's authorizer
 * runs): agents, conversations, the message lists, compaction (both routes) and Letta's errors, with
 * the client unchanged. Each script of {@code sdk-acceptance} gets its own API.
 */
class LettaSdkIT {
    static final Path SDK = Path.of("sdk-acceptance");
    /** The client authenticates as Letta's SDK does, with {@code Authorization: Bearer <key>}. */
    static final String KEY = "sdk-acceptance-key-0123456789";

    @Test
    void lettasOfficialClientWorksUnchanged() throws Exception {
        assertThat(run("acceptance.mjs")).contains("all checks passed");
    }

    /** {@code agents.messages.compact} and {@code agents.messages.list}, and an unknown route as the SDK's NotFoundError. */
    @Test
    void lettasAgentRoutesWorkUnchanged() throws Exception {
        assertThat(run("agents.mjs")).contains("agent routes checked");
    }

    /** conversations.list/update/fork/delete, agents.list/delete, a conversation's own context_window_limit. */
    @Test
    void lettasOfficialClientManagesConversationsAndAgents() throws Exception {
        assertThat(run("conversations.mjs")).contains("all checks passed");
    }

    /** Settings stored at creation, merged by a PATCH, and accepted as Letta accepts them ({@code settings.mjs}). */
    @Test
    void lettasOfficialClientSeesSettingsAsLettaKeepsThem() throws Exception {
        assertThat(run("settings.mjs")).contains("settings checks passed");
    }

    /** Runs one script of {@link #SDK} against a fresh {@code start-api} with API keys on; returns its output once it passed. */
    private static String run(String script) throws Exception {
        assertThat(SDK.resolve("node_modules/@letta-ai/letta-client")).as("installed by the build's npm ci").isDirectory();
        Path keys = Files.createTempFile("keys", ".json");
        Files.writeString(keys, "{\"" + KEY + "\": \"sdk-tenant\"}");
        // The scripts compact conversations they have just filled and check what their own compaction
        // kept: with the due stream on, the stream could compact first and theirs would then compact the
        // already compacted context (function/README.md, "A compaction asked for while the stream's runs").
        LocalJarIT.Running api = LocalJarIT.start(LocalJarIT.JAVA, "start-api", "--port", "0", "--keys", keys.toString(),
                StartApiCommand.NO_DUE_STREAM);
        try {
            Matcher listening = LocalJarIT.LISTENING.matcher(api.nextLine(60));
            assertThat(listening.matches()).isTrue();
            ProcessBuilder node = new ProcessBuilder("node", script).directory(SDK.toFile()).redirectErrorStream(true);
            node.environment().put("LETTA_BASE_URL", "http://127.0.0.1:" + listening.group(1));
            node.environment().put("LETTA_API_KEY", KEY);
            Path output = Files.createTempFile("letta-sdk", ".log");
            Process run = node.redirectOutput(output.toFile()).start();

            assertThat(run.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String log = Files.readString(output, StandardCharsets.UTF_8);
            assertThat(run.exitValue()).as(log).isZero();
            return log;
        } finally {
            api.process().destroy();
            api.process().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
