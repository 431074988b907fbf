package dev.compactor.local.eval;

import dev.compactor.batch.Outcome;

import dev.compactor.compaction.CompactionMode;
import dev.compactor.compaction.CompactionSettings;
import dev.compactor.compaction.Compactor;
import dev.compactor.compaction.MessageTokens;
import dev.compactor.compaction.QualityGates;
import dev.compactor.conversation.CompactionReport;
import dev.compactor.compaction.Transcript;
import dev.compactor.conversation.Message;
import dev.compactor.llm.ModelHandle;
import dev.compactor.llm.Prices;
import dev.compactor.llm.Summarizer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Compacts every conversation of a set with every model in every mode, in memory: the conversation
 * is the context a stored conversation would hand the engine ({@link Compactor}, the same code the
 * function runs between its store read and its commit), so nothing is written anywhere and no
 * database is needed. The quality gates run as reported, not enforced, so every summary is
 * measured; the enforced {@code shorter} gate and planning still fall back as in production.
 */
public final class Evaluation {
    /** The agent whose context is compacted: its model picks the token counter (approximate for Bedrock). */
    static final ModelHandle AGENT = new ModelHandle("bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0");
    static final Duration CALL_BUDGET = Duration.ofMinutes(2);

    private final Function<ModelHandle, Summarizer> summarizers;
    private final MessageTokens tokens = MessageTokens.approximate();
    private final AtomicLong done = new AtomicLong();

    public Evaluation(Function<ModelHandle, Summarizer> summarizers) {
        this.summarizers = summarizers;
    }

    /** Compactions finished so far (for a progress bar). */
    public long done() {
        return done.get();
    }

    public List<EvalResult> run(List<EvalConversation> conversations, List<ModelHandle> models, List<CompactionMode> modes) {
        Compactor compactor = new Compactor(summarizers, tokens, Clock.systemUTC(), QualityGates.off());
        List<EvalResult> out = new ArrayList<>();
        for (EvalConversation c : conversations) {
            List<Message> context = new ArrayList<>(c.messages().size());
            for (Message m : c.messages()) {
                context.add(m.withTokens(tokens.estimate(m)));
            }
            for (ModelHandle model : models) {
                for (CompactionMode mode : modes) {
                    out.add(one(compactor, c, context, model, mode));
                    done.incrementAndGet();
                }
            }
        }
        return out;
    }

    private EvalResult one(Compactor compactor, EvalConversation c, List<Message> context, ModelHandle model, CompactionMode mode) {
        CompactionSettings d = CompactionSettings.defaults();
        CompactionSettings settings = new CompactionSettings(null, null, null, false, d.clipChars(), mode, d.slidingWindowPercentage(),
                Set.of("mode"));
        long total = context.stream().mapToLong(Message::tokens).sum();
        int window = (int) Math.min(Integer.MAX_VALUE, Math.max(total, 1000));
        Compactor.Input input = new Compactor.Input(context, settings, model, AGENT, window, "UTC", "eval",
                Instant.now().plus(CALL_BUDGET));
        long started = System.nanoTime();
        Compactor.Outcome o;
        try {
            o = compactor.compact(input);
        } catch (RuntimeException e) {
            long millis = (System.nanoTime() - started) / 1_000_000;
            return EvalResult.failed(c, model, mode, millis, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        CompactionReport.IdentifierRetention retention = o.gates().identifierRetention();
        List<String> gateProblems = new ArrayList<>();
        for (CompactionReport.Gate g : o.gates().all()) {
            if (!QualityGates.PASS.equals(g.status())) {
                gateProblems.add(g.name() + "=" + g.status());
            }
        }
        List<String> missing = retention.missing();
        String replacedText = Transcript.render(Transcript.turns(o.plan().replaced(), null));
        List<String> current = c.current().stream().filter(replacedText::contains).toList();
        // A superseded fact can only be told apart when the replaced messages also hold what superseded it.
        boolean latestReplaced = !current.isEmpty();
        List<String> superseded = latestReplaced ? c.superseded().stream().filter(replacedText::contains).toList() : List.of();
        Expectations expectations = Expectations.check(o.summary(), current, superseded);
        long replaced = o.plan().tokensReplaced();
        return new EvalResult(c.id(), c.domain(), model.toString(), mode.wire(), o.plan().mode().wire(), o.result().source(),
                o.result().model() == null ? null : o.result().model().toString(), true, null,
                retention.found(), retention.kept(), missing,
                replaced, o.summaryTokens(), millis, Prices.estimateUsd(o.result().model(), o.result().usage()),
                gateProblems, o.fallbacks(), expectations.currentKept(), current.size(), expectations.supersededAsCurrent(),
                o.summary());
    }

    /**
     * Whether a summary states what is current (of the expected facts the replaced messages hold;
     * in a sliding window the latest may sit in the kept messages) and does not state what was superseded as if it still
     * held. A superseded string may appear on a line that says it no longer holds (any model's
     * wording: superseded, corrected, cancelled, instead, previously, …); anywhere else it reads as current.
     */
    record Expectations(int currentKept, int supersededAsCurrent) {
        private static final List<String> MARKERS = List.of("supersed", "correct", "cancel", "instead", "no longer", "previous",
                "earlier", "replac", "revis", "changed", "was wrong", "not ", "originally", "initially", "dropped", "abandon");

        static Expectations check(String summary, List<String> current, List<String> superseded) {
            int kept = 0;
            for (String s : current) {
                if (summary.contains(s)) {
                    kept++;
                }
            }
            int asCurrent = 0;
            for (String s : superseded) {
                for (String line : summary.split("\n")) {
                    if (line.contains(s) && !marked(line)) {
                        asCurrent++;
                        break;
                    }
                }
            }
            return new Expectations(kept, asCurrent);
        }

        private static boolean marked(String line) {
            String lower = line.toLowerCase(Locale.ROOT);
            for (String m : MARKERS) {
                if (lower.contains(m)) {
                    return true;
                }
            }
            return false;
        }
    }
}
