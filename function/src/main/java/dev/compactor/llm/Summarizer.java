package dev.compactor.llm;

/** Turns a conversation span into a summary. */
public interface Summarizer {
    /**
     * @throws LlmException when the model fails, answers nothing, or is cut off by its output limit
     */
    SummaryResult summarize(SummaryRequest request);
}
