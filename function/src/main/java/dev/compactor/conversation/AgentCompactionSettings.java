package dev.compactor.conversation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.compactor.support.JsonMapper;

/**
 * An agent's stored compaction settings, complete, as Letta stores and returns them: every field
 * of its {@code CompactionSettings} in its order, nulls included. Judged before they are stored
 * (see {@code dev.compactor.compaction.SettingsJudge}); this package only keeps them.
 *
 * @param modelSettings the accepted {@code model_settings}, or null
 * @param mode the mode's wire name
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"model", "model_settings", "prompt", "prompt_acknowledgement", "clip_chars", "mode",
        "sliding_window_percentage"})
public record AgentCompactionSettings(
        String model,
        @JsonProperty("model_settings") ModelSettings modelSettings,
        String prompt,
        @JsonProperty("prompt_acknowledgement") boolean promptAcknowledgement,
        @JsonProperty("clip_chars") Long clipChars,
        String mode,
        @JsonProperty("sliding_window_percentage") double slidingWindowPercentage) {

    /** Letta's defaults for the fields an older stored document may lack. */
    public static final String DEFAULT_MODE = "sliding_window";
    public static final double DEFAULT_SLIDING_WINDOW_PERCENTAGE = 0.3;
    public static final long DEFAULT_CLIP_CHARS = 50_000;

    /** Letta's defaults with {@code model} as the summarizer (the mode's default prompt applies). */
    public static AgentCompactionSettings defaultsWith(String model) {
        return new AgentCompactionSettings(model, null, null, false, DEFAULT_CLIP_CHARS, DEFAULT_MODE, DEFAULT_SLIDING_WINDOW_PERCENTAGE);
    }

    public String toJson() {
        try {
            return JsonMapper.MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("compaction settings not writable", e);
        }
    }

    /**
     * Reads a stored document. Documents stored before settings were kept complete hold only the
     * fields their client sent; the others take Letta's defaults (an explicit null stays null).
     */
    public static AgentCompactionSettings fromJson(String json) {
        try {
            ObjectNode tree = (ObjectNode) JsonMapper.MAPPER.readTree(json);
            if (!tree.has("clip_chars")) {
                tree.put("clip_chars", DEFAULT_CLIP_CHARS);
            }
            if (!tree.hasNonNull("mode")) {
                tree.put("mode", DEFAULT_MODE);
            }
            if (!tree.hasNonNull("sliding_window_percentage")) {
                tree.put("sliding_window_percentage", DEFAULT_SLIDING_WINDOW_PERCENTAGE);
            }
            return JsonMapper.MAPPER.treeToValue(tree, AgentCompactionSettings.class);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalStateException("stored compaction settings unreadable", e);
        }
    }
}
