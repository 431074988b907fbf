package dev.compactor.llm;

import dev.compactor.input.InvalidInputException;
import dev.compactor.support.Log;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Tries the requested model, then each failover model, then (when enabled) the offline extractive
 * summarizer, and records what failed on the way. Only provider-side failures move on to the next
 * model (see {@link LlmException#failoverEligible()}); a bad request fails at once. When every
 * model fails, the requested model's error is what the caller sees, as in Letta.
 *
 * <p>Each model gets an equal share of the time left, so a provider that hangs cannot use up the
 * time of the ones after it.
 */
public final class FailoverSummarizer implements Summarizer {
    private final List<ModelHandle> alternates;
    private final Function<ModelHandle, Summarizer> adapters;
    private final Summarizer lastResort;
    private final Clock clock;

    /**
     * @param alternates the models to try after the requested one, in order
     * @param adapters the summarizer of each model
     * @param lastResort the extractive summarizer, or null when it is not a fallback here
     */
    public FailoverSummarizer(List<ModelHandle> alternates, Function<ModelHandle, Summarizer> adapters, Summarizer lastResort,
                              Clock clock) {
        this.alternates = List.copyOf(alternates);
        this.adapters = adapters;
        this.lastResort = lastResort;
        this.clock = clock;
    }

    @Override
    public SummaryResult summarize(SummaryRequest request) {
        List<SummaryResult.FailedAttempt> failed = new ArrayList<>();
        int models = 1 + alternates.size();
        try {
            return adapters.apply(request.model()).summarize(request.retarget(request.model(), request.modelSettings(),
                    share(request.deadline(), models)));
        } catch (LlmException e) {
            if (!e.failoverEligible() || (alternates.isEmpty() && lastResort == null)) {
                throw e;
            }
            record(failed, request.model(), e.kind(), e.getMessage());
            for (int i = 0; i < alternates.size(); i++) {
                ModelHandle target = alternates.get(i);
                SettingsFit.Carried carried = SettingsFit.carryTo(target, request.modelSettings());
                try {
                    SummaryResult result = adapters.apply(target).summarize(request.retarget(target, carried.settings(),
                            share(request.deadline(), models - 1 - i)));
                    return result.withFailover(new SummaryResult.Failover(failed, carried.dropped()));
                } catch (LlmException next) {
                    record(failed, target, next.kind(), next.getMessage());
                } catch (InvalidInputException unsupported) {
                    record(failed, target, LlmException.Kind.BAD_REQUEST, unsupported.getMessage());
                }
            }
            if (lastResort == null) {
                throw e;
            }
            SummaryResult extractive = lastResort.summarize(request.retarget(ExtractiveSummarizer.HANDLE, null, request.deadline()));
            return extractive.withFailover(new SummaryResult.Failover(failed,
                    SettingsFit.carryTo(ExtractiveSummarizer.HANDLE, request.modelSettings()).dropped()));
        }
    }

    private Instant share(Instant deadline, int modelsLeft) {
        Instant now = clock.instant();
        Duration left = Duration.between(now, deadline);
        return left.isNegative() ? deadline : now.plus(left.dividedBy(modelsLeft));
    }

    private static void record(List<SummaryResult.FailedAttempt> failed, ModelHandle model, LlmException.Kind kind, String message) {
        Log.warn("llm.failover", "model", model.toString(), "kind", kind.name());
        failed.add(new SummaryResult.FailedAttempt(model, kind, message));
    }
}
