package dev.compactor.compaction;

import com.fasterxml.jackson.databind.JsonNode;
import dev.compactor.conversation.AgentCompactionSettings;
import dev.compactor.conversation.ModelSettings;
import dev.compactor.input.Fields;
import dev.compactor.llm.ModelHandle;
import dev.compactor.llm.SettingsFit;
import java.util.List;
import java.util.Objects;

/**
 * Settings are judged here, once and the same way wherever they arrive (agent create and PATCH,
 * the compact body, a conversation's own {@code model_settings}): what Letta's schema rejects is a
 * 422 in pydantic's shape and nothing is stored; unknown fields are ignored; a field the model
 * cannot take is dropped and named ({@code settings_not_applied}), never an error. So settings
 * that were accepted can always be used.
 */
public final class SettingsJudge {
    private SettingsJudge() {}

    /**
     * Settings as they apply to the model that will summarise, and the fields dropped on the way.
     *
     * @param notApplied {@code model_settings.<field>} paths the model cannot take, in the schema's order
     */
    public record Judgement(CompactionSettings settings, List<String> notApplied) {}

    /**
     * Reads {@code compaction_settings} sent at {@code loc}.
     *
     * @return the settings with the fields sent marked; null for JSON null or when invalid (the
     *     errors are in {@code fields})
     */
    public static CompactionSettings read(JsonNode json, List<Object> loc, Fields fields) {
        return SettingsParser.parse(json, loc, fields);
    }

    /**
     * Reads a {@code model_settings} object sent at {@code loc} (on its own, as a conversation's):
     * the same validation as inside {@code compaction_settings}.
     *
     * @return the settings; null for JSON null or when invalid (the errors are in {@code fields})
     */
    public static ModelSettings readModelSettings(JsonNode json, List<Object> loc, Fields fields) {
        return SettingsParser.modelSettings(json, loc, fields);
    }

    /** What of {@code modelSettings} (as read by {@link #readModelSettings}) {@code model} can take. */
    public static SettingsFit.Judged forModel(ModelHandle model, ModelSettings modelSettings) {
        return SettingsFit.judge(model, modelSettings);
    }

    /** {@code settings} as they apply to {@code summarizer}: the model settings it cannot take dropped and named. */
    public static Judgement apply(CompactionSettings settings, ModelHandle summarizer) {
        SettingsFit.Judged judged = SettingsFit.judge(summarizer, settings.modelSettings());
        if (judged.settings() == null) {
            return new Judgement(settings, List.of());
        }
        return new Judgement(settings.withModel(settings.model(), judged.settings()), judged.notApplied());
    }

    /**
     * A new agent's settings, complete, as Letta stores them: the ones sent (or the defaults) with
     * the summarizer model that will be used when none is named and the mode's prompt when none is sent.
     *
     * @param sent the settings the create body sent, or null
     */
    public static AgentCompactionSettings forNewAgent(CompactionSettings sent, String agentModel, ModelChoice models) {
        CompactionSettings settings = sent == null ? CompactionSettings.defaults() : sent;
        if (settings.model() == null) {
            settings = settings.withModel(models.defaultFor(agentModel), settings.modelSettings());
        }
        return settings.withModePrompt().toStored();
    }

    /**
     * An agent's settings after a PATCH, as Letta's agent update merges them: the fields sent over
     * the stored ones (a mode change without a prompt takes the new mode's default prompt); settings
     * absent or null leave them unchanged. When the agent's model moves to another provider and the
     * stored summarizer is the old provider's default (and the PATCH names none), the new
     * provider's default replaces it and the old model settings go, as in Letta.
     *
     * @param stored the agent's stored settings, or null for an agent stored before they were kept
     * @param sent the settings the PATCH sent, or null when absent or null
     * @param newModel the agent's model after the PATCH
     */
    public static AgentCompactionSettings forUpdate(AgentCompactionSettings stored, CompactionSettings sent, String oldModel,
                                                    String newModel, ModelChoice models) {
        CompactionSettings current = stored == null ? CompactionSettings.defaults().withModel(models.defaultFor(oldModel), null)
                : CompactionSettings.fromStored(stored);
        CompactionSettings merged = sent == null ? current : CompactionSettings.merge(current, sent);
        boolean modelSent = sent != null && sent.fieldsSet().contains("model");
        if (!modelSent && !Objects.equals(provider(oldModel), provider(newModel))
                && Objects.equals(merged.model(), models.defaultFor(oldModel))) {
            boolean settingsSent = sent != null && sent.fieldsSet().contains("model_settings");
            merged = merged.withModel(models.defaultFor(newModel), settingsSent ? merged.modelSettings() : null);
        }
        if (merged.model() == null) {
            merged = merged.withModel(models.defaultFor(newModel), merged.modelSettings());
        }
        return merged.withModePrompt().toStored();
    }

    private static String provider(String handle) {
        ModelHandle parsed = ModelHandle.parse(handle);
        return parsed == null ? handle : parsed.provider();
    }
}
