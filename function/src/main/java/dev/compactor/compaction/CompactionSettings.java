package dev.compactor.compaction;

import dev.compactor.conversation.AgentCompactionSettings;
import dev.compactor.conversation.ModelSettings;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Letta's {@code CompactionSettings}, with its JSON field names and defaults.
 *
 * @param clipChars maximum summary length in code points; null for no clipping
 * @param slidingWindowPercentage Letta's effective meaning: the share of messages evicted (at
 *     least; it grows in 10% steps until the kept tail fits)
 * @param modelSettings validated {@code model_settings}, or null
 * @param fieldsSet the JSON fields the client actually sent; only these override stored settings
 */
public record CompactionSettings(
        String model,
        ModelSettings modelSettings,
        String prompt,
        boolean promptAcknowledgement,
        Long clipChars,
        CompactionMode mode,
        double slidingWindowPercentage,
        Set<String> fieldsSet) {

    /** Every field, in Letta's order: what a stored (complete) settings object has set. */
    public static final List<String> FIELDS = List.of("model", "model_settings", "prompt", "prompt_acknowledgement",
            "clip_chars", "mode", "sliding_window_percentage");
    public static final CompactionMode DEFAULT_MODE = CompactionMode.fromWire(AgentCompactionSettings.DEFAULT_MODE);
    public static final double DEFAULT_SLIDING_WINDOW_PERCENTAGE = AgentCompactionSettings.DEFAULT_SLIDING_WINDOW_PERCENTAGE;
    public static final long DEFAULT_CLIP_CHARS = AgentCompactionSettings.DEFAULT_CLIP_CHARS;

    public CompactionSettings {
        fieldsSet = fieldsSet == null ? Set.of() : Set.copyOf(fieldsSet);
    }

    /** Stored settings, complete: every field counts as set. */
    public static CompactionSettings fromStored(AgentCompactionSettings stored) {
        return new CompactionSettings(stored.model(), stored.modelSettings(), stored.prompt(), stored.promptAcknowledgement(),
                stored.clipChars(), CompactionMode.fromWire(stored.mode()), stored.slidingWindowPercentage(), Set.copyOf(FIELDS));
    }

    public AgentCompactionSettings toStored() {
        return new AgentCompactionSettings(model, modelSettings, prompt, promptAcknowledgement, clipChars, mode.wire(),
                slidingWindowPercentage);
    }

    /** These settings with another model and model settings (as a judge or a default leaves them). */
    public CompactionSettings withModel(String model, ModelSettings modelSettings) {
        Set<String> set = new HashSet<>(fieldsSet);
        set.add("model");
        return new CompactionSettings(model, modelSettings, prompt, promptAcknowledgement, clipChars, mode,
                slidingWindowPercentage, set);
    }

    /** These settings with their prompt set to the mode's default when none is set, as Letta stores them. */
    public CompactionSettings withModePrompt() {
        if (prompt != null) {
            return this;
        }
        Set<String> set = new HashSet<>(fieldsSet);
        set.add("prompt");
        return new CompactionSettings(model, modelSettings, mode.defaultPrompt(), promptAcknowledgement, clipChars, mode,
                slidingWindowPercentage, set);
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
     * Effective settings, as Letta merges them at compact and at agent PATCH: the stored settings
     * with every field the request sent laid over them; a mode change without a prompt resets the
     * prompt to the new mode's default (at PATCH Letta resets it even when a prompt is sent; we keep
     * the prompt the client sent).
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
        Set<String> union = new HashSet<>(stored.fieldsSet());
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
