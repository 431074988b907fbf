package dev.compactor.compaction;

import dev.compactor.conversation.CompactionReport;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.ModelSettings;
import dev.compactor.conversation.Role;
import dev.compactor.input.WellFormedText;
import dev.compactor.llm.ChatMessage;
import dev.compactor.llm.LlmException;
import dev.compactor.llm.ModelCatalog;
import dev.compactor.llm.ModelHandle;
import dev.compactor.llm.SummaryRequest;
import dev.compactor.llm.SummaryResult;
import dev.compactor.llm.Summarizer;
import dev.compactor.llm.render.ContextParts;
import dev.compactor.tokens.ApproxTokenCounter;
import dev.compactor.tokens.TokenCounter;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Runs a compaction over an in-memory context: plans the requested mode, calls the summarizer,
 * follows Letta's fallback chains, clips and packages the summary, and checks it against the
 * quality gates and the context window (a result that would not fit is never returned). Pure: it reads and writes no store. {@link #preview} is the same planning without
 * any model call (the dry run).
 */
public final class Compactor {
    /** The trigger of a compaction a client asked for (the compact routes), as opposed to an automatic one. */
    public static final String MANUAL_TRIGGER = "manual";
    private final Function<ModelHandle, Summarizer> summarizers;
    private final MessageTokens tokens;
    private final Clock clock;
    private final QualityGates gates;

    /** @param summarizers finds the summarizer for a model handle (see {@link dev.compactor.llm.Summarizers}) */
    public Compactor(Function<ModelHandle, Summarizer> summarizers, MessageTokens tokens, Clock clock) {
        this(summarizers, tokens, clock, QualityGates.off());
    }

    public Compactor(Function<ModelHandle, Summarizer> summarizers, MessageTokens tokens, Clock clock, QualityGates gates) {
        this.summarizers = summarizers;
        this.tokens = tokens;
        this.clock = clock;
        this.gates = gates;
    }

    /**
     * @param context the in-context messages, system first
     * @param summarizerModel the model for {@code all}/{@code sliding_window} summaries
     * @param agentModel the agent's own model, used by the self-compaction modes and to pick the
     *     token counter
     * @param agentModelSettings the {@code model_settings} the agent's model runs with (a
     *     conversation's own, judged for that model), or null for its defaults
     * @param contextWindow the agent's context window
     * @param trigger why this compaction runs ({@link #MANUAL_TRIGGER}, {@code scheduled}); an automatic
     *     trigger is packed into the summary's stats
     */
    public record Input(List<Message> context, CompactionSettings settings, ModelHandle summarizerModel,
                        ModelHandle agentModel, ModelSettings agentModelSettings, int contextWindow, String timezone,
                        String trigger, Instant deadline) {
        /** An input whose agent model runs with its defaults. */
        public Input(List<Message> context, CompactionSettings settings, ModelHandle summarizerModel, ModelHandle agentModel,
                     int contextWindow, String timezone, String trigger, Instant deadline) {
            this(context, settings, summarizerModel, agentModel, null, contextWindow, timezone, trigger, deadline);
        }
    }

    /**
     * @param summary the clipped summary text (what the API returns)
     * @param packedText the stored summary message text
     * @param summaryTokens the summary message's approximate token estimate (the store's unit)
     * @param fallbacks the modes that failed before {@code plan.mode()} succeeded, with why
     * @param gates the quality gates' verdicts on the summary that is returned
     * @param tokenCounter the unit of the plan's token figures ({@code approximate}, {@code o200k_base}, …)
     */
    public record Outcome(Plan plan, CompactionMode modeRequested, String summary, String packedText, int summaryTokens,
                          SummaryResult result, String prompt, List<String> fallbacks, CompactionReport.Gates gates,
                          String tokenCounter) {}

    /**
     * What a compaction would do, without calling a model: the plan of the mode that would run
     * (after Letta's planning fallbacks), the model and prompt it would use.
     */
    public record Preview(Plan plan, CompactionMode modeRequested, ModelHandle model, String prompt, List<String> fallbacks,
                          String tokenCounter, CompactionReport.ToolIntegrity toolIntegrity) {}

    public Outcome compact(Input in) {
        TokenCounter counter = tokens.counterFor(in.agentModel());
        int[] tok = tokens.counts(in.context(), counter);
        CompactionSettings settings = in.settings();
        CompactionMode requested = settings.mode();
        List<String> fallbacks = new ArrayList<>();
        String prompt = settings.effectivePrompt();
        return switch (requested) {
            case ALL -> attempt(in, tok, counter, CompactionMode.ALL, prompt, fallbacks);
            case SLIDING_WINDOW, SELF_COMPACT_SLIDING_WINDOW -> {
                try {
                    yield attempt(in, tok, counter, requested, prompt, fallbacks);
                } catch (LlmException e) {
                    if (e.kind() == LlmException.Kind.CONTEXT_WINDOW_EXCEEDED) {
                        throw e;
                    }
                    fallbacks.add(requested.wire() + ": " + e.getMessage());
                } catch (PlanningException | QualityGateException | ContextOverflowException e) {
                    // A result over the window compacts again in all, as letta-code does.
                    fallbacks.add(requested.wire() + ": " + e.getMessage());
                }
                yield attempt(in, tok, counter, CompactionMode.ALL, fallbackPrompt(settings, CompactionMode.ALL), fallbacks);
            }
            case SELF_COMPACT_ALL -> {
                try {
                    yield attempt(in, tok, counter, requested, prompt, fallbacks);
                } catch (LlmException | PlanningException | QualityGateException | ContextOverflowException e) {
                    fallbacks.add(requested.wire() + ": " + e.getMessage());
                }
                CompactionMode next = CompactionMode.SELF_COMPACT_SLIDING_WINDOW;
                try {
                    yield attempt(in, tok, counter, next, fallbackPrompt(settings, next), fallbacks);
                } catch (LlmException | PlanningException | QualityGateException | ContextOverflowException e) {
                    fallbacks.add(next.wire() + ": " + e.getMessage());
                }
                yield attempt(in, tok, counter, CompactionMode.ALL, fallbackPrompt(settings, CompactionMode.ALL), fallbacks);
            }
        };
    }

    /**
     * The dry run: the plan a compaction would follow if every model call succeeded. Planning
     * fallbacks apply (a sliding window without a usable cut runs as {@code all}); a plan that
     * cannot reduce the message count throws {@link NothingToCompactException}, as a real run would.
     */
    public Preview preview(Input in) {
        TokenCounter counter = tokens.counterFor(in.agentModel());
        int[] tok = tokens.counts(in.context(), counter);
        CompactionSettings settings = in.settings();
        CompactionMode requested = settings.mode();
        List<String> fallbacks = new ArrayList<>();
        Planned planned;
        String prompt = settings.effectivePrompt();
        try {
            planned = planned(in, tok, requested);
        } catch (PlanningException e) {
            if (!requested.isSliding()) {
                throw e;
            }
            fallbacks.add(requested.wire() + ": " + e.getMessage());
            planned = planned(in, tok, CompactionMode.ALL);
            prompt = fallbackPrompt(settings, CompactionMode.ALL);
        }
        Plan plan = planned.plan();
        ModelHandle model = plan.mode().isSelf() ? in.agentModel() : in.summarizerModel();
        return new Preview(plan, requested, model, prompt, List.copyOf(fallbacks), counter.name(), planned.integrity());
    }

    /** A custom prompt survives a fallback (Letta swaps it for the default); a default prompt follows the mode. */
    private static String fallbackPrompt(CompactionSettings settings, CompactionMode mode) {
        return Prompts.isDefault(settings.prompt()) || settings.prompt().isBlank() ? mode.defaultPrompt() : settings.prompt();
    }

    /** A plan that passed its checks, with the tool-integrity verdict they reached (one index over the context, not two). */
    private record Planned(Plan plan, CompactionReport.ToolIntegrity integrity) {}

    /**
     * The mode's plan, checked: it must reduce the message count (else Letta's 400, before any
     * model call) and leave tool calls and results together (a sliding cut that would not is a
     * planning failure, so the caller falls back like Letta does).
     */
    private Planned planned(Input in, int[] tok, CompactionMode mode) {
        Plan plan = Planner.plan(mode, in.context(), tok, in.settings().slidingWindowPercentage(), in.contextWindow());
        if (!plan.reduces()) {
            throw new NothingToCompactException();
        }
        CompactionReport.ToolIntegrity integrity = QualityGates.toolIntegrity(plan);
        if (QualityGates.FAIL.equals(integrity.status())) {
            if (mode.isSliding()) {
                throw new PlanningException("The cut would break tool-call integrity " + integrity.figures());
            }
            throw new IllegalStateException("Planner left an invalid context in mode " + mode.wire() + ": " + integrity.figures());
        }
        return new Planned(plan, integrity);
    }

    private Outcome attempt(Input in, int[] tok, TokenCounter counter, CompactionMode mode, String prompt, List<String> fallbacks) {
        Planned planned = planned(in, tok, mode);
        Plan plan = planned.plan();
        CompactionReport.ToolIntegrity integrity = planned.integrity();
        SummaryResult result = mode.isSelf() ? selfSummary(in, plan, prompt) : simpleSummary(in, plan, prompt);
        String text = result.text() == null ? "" : result.text().strip();
        if (text.isEmpty()) {
            throw new LlmException(LlmException.Kind.EMPTY_OUTPUT, result.model() == null ? null : result.model().provider(),
                    "The summarizer " + result.model() + " returned an empty summary");
        }
        if (!WellFormedText.wellFormed(text)) {
            // DynamoDB's UTF-8 cannot hold a lone surrogate; storing it would silently alter the summary.
            throw new LlmException(LlmException.Kind.PROVIDER_ERROR, result.model() == null ? null : result.model().provider(),
                    "The summarizer " + result.model() + " returned text that is not valid Unicode (a lone surrogate)");
        }
        String summary = SummaryPackager.clip(text, in.settings().clipChars());
        // Letta's compact routes pack no stats (so its wording is the one without counts); its
        // automatic compactions pack them with their trigger. Our own record keeps them either way.
        SummaryPackager.Stats stats = MANUAL_TRIGGER.equals(in.trigger()) ? null : new SummaryPackager.Stats(in.trigger(),
                plan.tokensBefore(), plan.tokensAfter(), in.contextWindow(), plan.numBefore(), plan.numAfter());
        String packed = SummaryPackager.pack(summary, mode, in.timezone(), clock.instant(), stats);
        Message summaryMessage = Message.text(Role.SUMMARY, packed);
        int summaryTokens = tokens.estimate(summaryMessage);
        long summaryTokensInPlanUnit = counter instanceof ApproxTokenCounter ? summaryTokens : tokens.count(summaryMessage, counter);
        if (plan.tokensAfter() + summaryTokensInPlanUnit > in.contextWindow()) {
            throw new ContextOverflowException(mode, plan.tokensAfter(), summaryTokensInPlanUnit, in.contextWindow());
        }
        CompactionReport.Gates report = gates.evaluate(plan, summary, !summary.equals(text), summaryTokensInPlanUnit, integrity);
        if (!report.passed()) {
            throw new QualityGateException(report);
        }
        return new Outcome(plan, in.settings().mode(), summary, packed, summaryTokens, result, prompt, List.copyOf(fallbacks),
                report, counter.name());
    }

    /**
     * Letta's {@code simple_summary}: the prompt as system message, an optional acknowledgement,
     * and the transcript as the user turn; on a context-window error, retry with tool results
     * clamped to 5000 characters, then with the transcript's middle cut to fit the model.
     */
    private SummaryResult simpleSummary(Input in, Plan plan, String prompt) {
        ModelHandle model = in.summarizerModel();
        Summarizer summarizer = summarizers.apply(model);
        List<ChatMessage> turns = Transcript.turns(plan.span(), null);
        try {
            return summarizer.summarize(simpleRequest(in, plan, prompt, Transcript.render(turns), turns));
        } catch (LlmException e) {
            if (e.kind() != LlmException.Kind.CONTEXT_WINDOW_EXCEEDED) {
                throw e;
            }
        }
        List<ChatMessage> clamped = Transcript.turns(plan.span(), LlmView.TOOL_RETURN_CLAMP);
        String clampedTranscript = Transcript.render(clamped);
        try {
            return summarizer.summarize(simpleRequest(in, plan, prompt, clampedTranscript, clamped));
        } catch (RuntimeException afterClamp) {
            long budget = (long) (ModelCatalog.contextWindow(model) * 0.6 * 4);
            long overhead = ApproxTokenCounter.utf8Length(prompt)
                    + (in.settings().promptAcknowledgement() ? ApproxTokenCounter.utf8Length(Prompts.ACKNOWLEDGEMENT) : 0) + 1024;
            budget = Math.max(2000, budget - overhead);
            String truncated = Transcript.middleTruncate(clampedTranscript, budget);
            return summarizer.summarize(simpleRequest(in, plan, prompt, truncated, clamped));
        }
    }

    private SummaryRequest simpleRequest(Input in, Plan plan, String prompt, String transcript, List<ChatMessage> span) {
        List<ChatMessage> messages = new ArrayList<>(2);
        if (in.settings().promptAcknowledgement()) {
            messages.add(ChatMessage.of("assistant", Prompts.ACKNOWLEDGEMENT));
        }
        messages.add(ChatMessage.of("user", transcript));
        return new SummaryRequest(in.summarizerModel(), prompt, messages, in.settings().modelSettings(), span,
                plan.mode().wordLimit(), clipLimit(in), in.deadline());
    }

    /**
     * Letta's self-compaction: the agent's own model reads the span as its normal conversation (so
     * the provider's prompt cache applies: the request carries it in the provider's native
     * structure, with a cache point after it where the provider takes one) followed by the prompt
     * as a user turn. The model runs with the agent's own settings ({@code agentModelSettings}); the
     * compaction {@code model}, its {@code model_settings} and the acknowledgement do not apply.
     */
    private SummaryResult selfSummary(Input in, Plan plan, String prompt) {
        ModelHandle model = in.agentModel();
        if (model == null) {
            throw new LlmException(LlmException.Kind.UNSUPPORTED_PROVIDER, null,
                    "Self-compaction needs the agent's model, and the agent has none");
        }
        Summarizer summarizer = summarizers.apply(model);
        List<ChatMessage> messages = new ArrayList<>(LlmView.toChat(plan.span(), null));
        // The span is the agent's own context, sent as its requests send it; what follows is ours.
        ContextParts kept = ContextParts.ofContext(plan.span());
        ContextParts context = kept.withCachePoint(kept.messages().size() - 1);
        List<Message> after = new ArrayList<>(2);
        if (messages.isEmpty() || !"assistant".equals(messages.get(messages.size() - 1).role())) {
            messages.add(ChatMessage.of("assistant", Prompts.SELF_COMPACT_ASSISTANT_TURN));
            after.add(Message.text(Role.ASSISTANT, Prompts.SELF_COMPACT_ASSISTANT_TURN));
        }
        messages.add(ChatMessage.of("user", prompt));
        after.add(Message.text(Role.USER, prompt));
        List<ChatMessage> span = Transcript.turns(plan.span(), null);
        return summarizer.summarize(new SummaryRequest(model, null, messages, in.agentModelSettings(), span,
                plan.mode().wordLimit(), clipLimit(in), in.deadline(), context.followedBy(after)));
    }

    private static Integer clipLimit(Input in) {
        Long clip = in.settings().clipChars();
        return clip == null ? null : (int) Math.min(Integer.MAX_VALUE, clip);
    }
}
