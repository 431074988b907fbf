package dev.compactor.llm;

import dev.compactor.conversation.ModelSettings;

/**
 * A model behind a network API: binds the settings to the model, calls the provider's dialect with
 * retries, rejects answers that cannot be a summary (empty, cut off, filtered), and checks the
 * reported usage before it is billed ({@link UsageCheck}).
 */
public final class RemoteSummarizer implements Summarizer {
    private final String provider;
    private final ModelApi api;
    private final Retrier retrier;

    public RemoteSummarizer(String provider, ModelApi api, Retrier retrier) {
        this.provider = provider;
        this.api = api;
        this.retrier = retrier;
    }

    @Override
    public SummaryResult summarize(SummaryRequest request) {
        ModelSettings settings = SettingsFit.forTarget(request.model(), request.modelSettings());
        long started = System.nanoTime();
        ModelReply reply = retrier.call(provider, request.deadline(), deadline -> api.send(request, settings, deadline));
        long latency = (System.nanoTime() - started) / 1_000_000;
        if (reply.stop() == ModelReply.Stop.MAX_TOKENS) {
            throw new LlmException(LlmException.Kind.TRUNCATED_OUTPUT, provider, request.model()
                    + " stopped at its output limit of " + settings.outputLimit()
                    + " tokens, so the summary is incomplete; raise model_settings.max_output_tokens");
        }
        if (reply.stop() == ModelReply.Stop.FILTERED) {
            throw new LlmException(LlmException.Kind.PROVIDER_ERROR, provider, request.model() + " stopped its answer at a content filter");
        }
        String text = reply.text() == null ? "" : reply.text().strip();
        if (text.isEmpty()) {
            throw new LlmException(LlmException.Kind.EMPTY_OUTPUT, provider, request.model() + " returned an empty summary");
        }
        TokenUsage usage = UsageCheck.check(provider, request, settings.outputLimit(), reply.usage());
        return new SummaryResult(text, SummaryResult.LLM, request.model(), usage, latency);
    }
}
