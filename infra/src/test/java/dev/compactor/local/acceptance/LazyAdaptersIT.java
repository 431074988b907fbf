package dev.compactor.local.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.local.bench.InitBenchmark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Only the adapters a request needs are loaded: on the Lambda zip's class path, a container that
 * summarises with Bedrock loads no class of the HTTP dialects, and one that also calls them does.
 * The JVM's own class-loading log is the witness.
 */
class LazyAdaptersIT {
    private static final String HTTP_ADAPTERS = "dev.compactor.llm.http.";

    @Test
    void aBedrockOnlyContainerLoadsNoHttpAdapter(@TempDir Path logs) throws IOException {
        try (InitBenchmark bench = InitBenchmark.prepare(LambdaArtifactIT.ZIP)) {
            String timings = bench.run("bedrock", List.of("-Xlog:class+load=info:file=" + logs.resolve("bedrock.log")));
            bench.run("http", List.of("-Xlog:class+load=info:file=" + logs.resolve("http.log")));

            assertThat(InitBenchmark.timings(timings)).containsEntry("scenario", "bedrock");
            assertThat(Files.readString(logs.resolve("bedrock.log"))).contains("dev.compactor.llm.bedrock.BedrockConverseApi")
                    .doesNotContain(HTTP_ADAPTERS);
            assertThat(Files.readString(logs.resolve("http.log"))).contains(HTTP_ADAPTERS + "OpenAiChatApi",
                    HTTP_ADAPTERS + "AnthropicMessagesApi", HTTP_ADAPTERS + "GeminiApi");
        }
    }
}
