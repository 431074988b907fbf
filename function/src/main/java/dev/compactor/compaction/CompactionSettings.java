package dev.compactor.compaction;

import java.util.Map;
import java.util.Set;

/**
 * Letta's {@code CompactionSettings}, with its JSON field names and defaults.
 *
 * @param clipChars maximum summary length in code points; null for no clipping
 * @param slidingWindowPercentage Letta's effective meaning: the share of messages evicted (at
 *     least; it grows in 10% steps until the kept tail fits)
 * @param fieldsSet the JSON fields the client actually sent; only these override stored settings
 */
public record CompactionSettings(
        String model,
        Map<String, Object> modelSettings,
        String prompt,
        boolean promptAcknowledgement,
        Long clipChars,
        CompactionMode mode,
        double slidingWindowPercentage,
        Set<String> fieldsSet) {

    public static final CompactionMode DEFAULT_MODE = CompactionMode.SLIDING_WINDOW;
    public static final double DEFAULT_SLIDING_WINDOW_PERCENTAGE = 0.3;
    public static final long DEFAULT_CLIP_CHARS = 50_000;

    public CompactionSettings {
        fieldsSet = fieldsSet == null ? Set.of() : Set.copyOf(fieldsSet);
        modelSettings = modelSettings == null ? null : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(modelSettings));
    }

    public static CompactionSettings defaults() {
        return new CompactionSettings(null, null, null, false, DEFAULT_CLIP_CHARS, DEFAULT_MODE,
                DEFAULT_SLIDING_WINDOW_PERCENTAGE, Set.of());
    }

    /** The prompt to use: the configured one, or the mode's default when none (or a blank one) is set. */
    public String effectivePrompt() {
        return prompt == null || prompt.isBlank() ? mode.defaultPrompt() : prompt;
    }

    /**
     * Effective settings for a request, as Letta merges them: the agent's stored settings with
     * every field the request sent laid over them; a mode change without a prompt resets the prompt
     * to the new mode's default.
     */
    public static CompactionSettings merge(CompactionSettings stored, CompactionSettings request) {
        if (stored == null && request == null) {
            return defaults();
        }
        if (stored == null) {
            return request;
        }
        if (request == null) {
            return stored;
        }
        Set<String> sent = request.fieldsSet();
        String prompt = sent.contains("prompt") ? request.prompt() : stored.prompt();
        if (sent.contains("mode") && !sent.contains("prompt") && request.mode() != stored.mode()) {
            prompt = request.mode().defaultPrompt();
        }
        java.util.Set<String> union = new java.util.HashSet<>(stored.fieldsSet());
        union.addAll(sent);
        return new CompactionSettings(
                sent.contains("model") ? request.model() : stored.model(),
                sent.contains("model_settings") ? request.modelSettings() : stored.modelSettings(),
                prompt,
                sent.contains("prompt_acknowledgement") ? request.promptAcknowledgement() : stored.promptAcknowledgement(),
                sent.contains("clip_chars") ? request.clipChars() : stored.clipChars(),
                sent.contains("mode") ? request.mode() : stored.mode(),
                sent.contains("sliding_window_percentage") ? request.slidingWindowPercentage() : stored.slidingWindowPercentage(),
                union);
    }
}
