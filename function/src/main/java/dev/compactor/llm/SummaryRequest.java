package dev.compactor.llm;

import dev.compactor.conversation.ModelSettings;
import dev.compactor.llm.render.ContextParts;
import java.time.Instant;
import java.util.List;

/**
 * Everything a summarizer needs for one call.
 *
 * @param system system prompt, or null when {@code messages} carries the conversation's own
 * @param messages the turns to send, in order
 * @param modelSettings the caller's {@code model_settings} (already validated), or null
 * @param span the conversation turns being summarised, for summarizers that read structure
 *     rather than prompts (the extractive one)
 * @param wordLimit the word limit the mode's prompt asks for
 * @param clipChars the summary length the caller will clip to, or null for none
 * @param deadline when the caller needs an answer by
 * @param context the agent's own context for self-compaction, which adapters send in their
 *     vendor's native structure (tool calls and results as such, cache points where the vendor
 *     takes them) so the provider's prompt cache for the agent's traffic applies; null for a
 *     summary request made of {@code system} and {@code messages}. {@code messages} then holds the
 *     same turns in neutral form, for the summarizers that read text.
 */
public record SummaryRequest(
        ModelHandle model,
        String system,
        List<ChatMessage> messages,
        ModelSettings modelSettings,
        List<ChatMessage> span,
        int wordLimit,
        Integer clipChars,
        Instant deadline,
        ContextParts context) {
    public SummaryRequest {
        messages = List.copyOf(messages);
        span = span == null ? List.of() : List.copyOf(span);
    }

    public SummaryRequest(ModelHandle model, String system, List<ChatMessage> messages, ModelSettings modelSettings,
                          List<ChatMessage> span, int wordLimit, Integer clipChars, Instant deadline) {
        this(model, system, messages, modelSettings, span, wordLimit, clipChars, deadline, null);
    }

    /** The same request for another model (a failover target), with its own settings and time share. */
    public SummaryRequest retarget(ModelHandle target, ModelSettings targetSettings, Instant targetDeadline) {
        return new SummaryRequest(target, system, messages, targetSettings, span, wordLimit, clipChars, targetDeadline, context);
    }
}
