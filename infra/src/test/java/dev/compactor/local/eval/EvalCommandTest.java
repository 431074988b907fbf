package dev.compactor.local.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.compactor.compaction.CompactionMode;
import dev.compactor.llm.ExtractiveSummarizer;
import dev.compactor.llm.FailoverChains;
import dev.compactor.llm.ModelHandle;
import dev.compactor.llm.ProviderEnv;
import dev.compactor.llm.Retrier;
import dev.compactor.llm.Summarizers;
import dev.compactor.llm.providers.ProviderApis;
import dev.compactor.local.command.Args;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** {@code eval} on the shipped sample sets, with the extractive summarizer and a local OpenAI-compatible server as models. */
class EvalCommandTest {
    static final Path TUNING_SET = Path.of("eval/conversations.jsonl");
    static final Path HELD_OUT_SET = Path.of("eval/heldout.jsonl");

    private static Summarizers summarizers(String openAiBaseUrl) {
        Map<String, String> env = Map.of("OPENAI_API_KEY", "sk-eval", "OPENAI_BASE_URL", openAiBaseUrl);
        ProviderApis apis = new ProviderApis(new ProviderEnv(env::get, Map::of),
                new ProviderApis.BedrockAccess("us-east-1", null, StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"))));
        return new Summarizers(apis, FailoverChains.parse("none"), false, Retrier.standard(), Clock.systemUTC());
    }

    @Test
    void comparesTwoModelsOnTheSampleSetWithATableAReportAndAPlot(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Path report = dir.resolve("report.html");
        Path plot = dir.resolve("plot.svg");
        try (SummarizingOpenAiServer server = new SummarizingOpenAiServer()) {
            int status = EvalCommand.run(new Args(List.of("--data", TUNING_SET.toString(), "--models", "local/extractive,openai/gpt-4o-mini",
                            "--report", report.toString(), "--plot", plot.toString()), EvalCommand.OPTIONS),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), false,
                    summarizers(server.baseUrl())::forModel);

            assertThat(status).isZero();
            int conversations = EvalConversation.read(TUNING_SET).size();
            // every conversation in both modes, plus a call for each sliding window that fell back to all
            assertThat(server.requests()).isGreaterThanOrEqualTo(2 * conversations);
        }
        String table = out.toString(StandardCharsets.UTF_8);
        assertThat(table.lines().filter(l -> l.matches("(local/extractive|openai/gpt-4o-mini) +(all|sliding_window) .*"))).hasSize(4);
        assertThat(table).contains("local/extractive on a 4,000-message span");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("64/64  100%");
        String html = Files.readString(report);
        assertThat(html).contains("local/extractive", "openai/gpt-4o-mini", "Identifier retention vs compression",
                "Cost vs latency per compaction");
        assertThat(html.split("<svg ", -1)).hasSize(3);
        assertThat(Files.readString(plot)).startsWith("<svg ").contains("local/extractive · all", "openai/gpt-4o-mini · sliding_window");
    }

    @Test
    void theExtractiveSummarizerMeetsItsAimsOnTheTuningAndTheHeldOutSet() {
        Evaluation evaluation = new Evaluation(summarizers("http://127.0.0.1:9/v1")::forModel);
        for (Path set : List.of(TUNING_SET, HELD_OUT_SET)) {
            List<ModelScore> scores = ModelScore.of(evaluation.run(EvalConversation.read(set), List.of(ExtractiveSummarizer.HANDLE),
                    List.of(CompactionMode.ALL, CompactionMode.SLIDING_WINDOW)));

            assertThat(scores).as(set.toString()).hasSize(2).allSatisfy(s -> {
                assertThat(s.failures()).isZero();
                assertThat(s.maxCompression()).isLessThanOrEqualTo(0.5);
                assertThat(s.currentKept()).isEqualTo(1.0);
                assertThat(s.supersededAsCurrent()).isZero();
                assertThat(s.gateIssues()).isZero();
            });
            assertThat(scores.get(0).retention()).as(set + " all").isGreaterThanOrEqualTo(0.95);
            assertThat(scores.get(1).retention()).as(set + " sliding_window").isGreaterThanOrEqualTo(0.95);
        }
    }

    @Test
    void aMalformedDataFileIsAUsageErrorNamingTheLine(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("bad.jsonl");
        Files.writeString(data, Files.readAllLines(TUNING_SET).get(0) + "\n{\"id\": \"x\", \"messages\": [], \"extra\": 1}\n");

        assertThatThrownBy(() -> EvalCommand.run(new Args(List.of("--data", data.toString()), EvalCommand.OPTIONS),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()), false, h -> null))
                .isInstanceOf(Args.UsageException.class).hasMessageContaining("bad.jsonl:2").hasMessageContaining("unknown field 'extra'");
        assertThatThrownBy(() -> EvalCommand.models("local/extractive,nosuch/model")).isInstanceOf(Args.UsageException.class)
                .hasMessageContaining("nosuch");
        assertThatThrownBy(() -> EvalCommand.modes("all,self_compact_all")).isInstanceOf(Args.UsageException.class)
                .hasMessageContaining("self_compact_all");
        assertThat(EvalCommand.models("local/extractive, openai/gpt-4o-mini"))
                .containsExactly(ExtractiveSummarizer.HANDLE, new ModelHandle("openai", "gpt-4o-mini"));
    }
}
