package dev.compactor.local.eval;

import dev.compactor.compaction.CompactionMode;
import dev.compactor.llm.ExtractiveSummarizer;
import dev.compactor.llm.LlmException;
import dev.compactor.llm.ModelHandle;
import dev.compactor.llm.Summarizer;
import dev.compactor.llm.Summarizers;
import dev.compactor.local.command.Args;
import dev.compactor.local.command.ProgressBar;
import dev.compactor.support.Env;
import dev.compactor.app.Services;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code eval}: compacts every conversation of a JSONL set with every model in every mode and
 * reports per model identifier retention, compression, latency, cost, gate results and fallbacks:
 * a progress bar on stderr, a table on stdout, an HTML report with plots. Models are reached as
 * the function reaches them (provider keys and base URLs from the environment).
 */
public final class EvalCommand {
    public static final Set<String> OPTIONS = Set.of("--data", "--models", "--modes", "--report", "--plot");
    static final List<CompactionMode> MODES = List.of(CompactionMode.ALL, CompactionMode.SLIDING_WINDOW);

    private EvalCommand() {}

    public static int run(Args args, PrintStream stdout) {
        return run(args, stdout, System.err, ProgressBar.stderrIsTerminal(), Services.summarizers(Env.system())::forModel);
    }

    static int run(Args args, PrintStream stdout, PrintStream stderr, boolean terminal, Function<ModelHandle, Summarizer> summarizers) {
        Path data = args.path("--data");
        if (data == null) {
            throw new Args.UsageException("eval needs --data FILE (JSON lines, one conversation each)");
        }
        List<ModelHandle> models = models(args.get("--models", ExtractiveSummarizer.HANDLE.toString()));
        List<CompactionMode> modes = modes(args.get("--modes", "all,sliding_window"));
        Path report = Path.of(args.get("--report", "eval-report.html"));
        Path plot = args.path("--plot");
        List<EvalConversation> conversations;
        try {
            conversations = EvalConversation.read(data);
        } catch (EvalConversation.DataException e) {
            throw new Args.UsageException(e.getMessage());
        }
        Evaluation evaluation = new Evaluation(summarizers);
        long total = (long) conversations.size() * models.size() * modes.size();
        List<EvalResult> results;
        try (ProgressBar bar = new ProgressBar(stderr, terminal, evaluation::done, () -> total)) {
            results = evaluation.run(conversations, models, modes);
        }
        List<ModelScore> scores = ModelScore.of(results);
        stdout.print(EvalTable.render(scores));
        String timing = null;
        if (models.contains(ExtractiveSummarizer.HANDLE)) {
            timing = SpanTiming.measure(conversations, SpanTiming.MESSAGES).describe();
            stdout.println(timing);
        }
        write(report, EvalHtml.render(data.getFileName().toString(), conversations.size(), results, scores, timing));
        stdout.println("report: " + report.toAbsolutePath());
        if (plot != null) {
            write(plot, EvalHtml.retentionPlot(results));
            stdout.println("plot: " + plot.toAbsolutePath());
        }
        return 0;
    }

    private static void write(Path file, String text) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    static List<ModelHandle> models(String value) {
        List<ModelHandle> out = new ArrayList<>();
        for (String part : value.split(",")) {
            ModelHandle h = ModelHandle.parse(part.strip());
            if (h == null) {
                throw new Args.UsageException("--models must be provider/model handles separated by commas, got '" + part.strip() + "'");
            }
            try {
                Summarizers.requireKnown(h);
            } catch (LlmException e) {
                throw new Args.UsageException("--models: " + e.getMessage());
            }
            if (out.contains(h)) {
                throw new Args.UsageException("--models names " + h + " twice");
            }
            out.add(h);
        }
        return out;
    }

    static List<CompactionMode> modes(String value) {
        List<CompactionMode> out = new ArrayList<>();
        for (String part : value.split(",")) {
            CompactionMode m = CompactionMode.fromWire(part.strip());
            if (m == null || !MODES.contains(m)) {
                throw new Args.UsageException("--modes must be all and/or sliding_window (the modes a summarizer model serves), got '"
                        + part.strip() + "'");
            }
            if (!out.contains(m)) {
                out.add(m);
            }
        }
        return out;
    }
}
