package dev.compactor.compaction;

/**
 * The compacted context (system, summary and kept messages) would not fit the context window
 * the compaction was made for; nothing was committed. {@link #summaryAtFault()} tells whether the
 * context without the summary would have fit (the summary is too long) or not (the system
 * message and the messages that must stay are too long by themselves).
 */
public final class ContextOverflowException extends RuntimeException {
    private final boolean summaryAtFault;

    ContextOverflowException(CompactionMode mode, long withoutSummary, long summary, int contextWindow) {
        super("The compacted context would be " + (withoutSummary + summary) + " tokens (" + summary + " of them the summary, "
                + withoutSummary + " the system message and the messages kept) in mode " + mode.wire()
                + ", over the context window of " + contextWindow + " tokens; nothing was written."
                + (withoutSummary >= contextWindow ? "" : " Set compaction_settings.clip_chars to bound the summary."));
        this.summaryAtFault = withoutSummary < contextWindow;
    }

    public boolean summaryAtFault() {
        return summaryAtFault;
    }
}
