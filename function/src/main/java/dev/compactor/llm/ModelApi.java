package dev.compactor.llm;

import dev.compactor.conversation.ModelSettings;
import java.time.Instant;

/** One provider's wire dialect: sends a summary request once and reads the answer. */
public interface ModelApi {
    /**
     * @param deadline when this attempt must have finished
     * @throws LlmException for a provider error, a timeout or an unreadable answer
     * @throws dev.compactor.input.InvalidInputException for a setting the model cannot honour
     *     (raised before anything is sent)
     */
    ModelReply send(SummaryRequest request, ModelSettings settings, Instant deadline);
}
