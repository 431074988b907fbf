package dev.compactor.compaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.conversation.AgentCompactionSettings;
import dev.compactor.conversation.ModelSettings;
import dev.compactor.input.Fields;
import dev.compactor.llm.ModelHandle;
import dev.compactor.support.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Stored defaults at creation, Letta's PATCH merge, and settings judged for the model that will use them. */
class SettingsJudgeTest {
    private static final ModelChoice NO_DEPLOYMENT_DEFAULT = new ModelChoice(null);
    private static final ModelChoice BEDROCK_DEFAULT = new ModelChoice(ModelHandle.parse("bedrock/us.anthropic.claude-haiku-4-5"));

    private static CompactionSettings sent(String json) {
        Fields fields = new Fields();
        CompactionSettings settings = SettingsJudge.read(Json.tree(json), List.of("body", "compaction_settings"), fields);
        assertThat(fields.errors()).isEmpty();
        return settings;
    }

    @Test
    void aNewAgentStoresTheSummarizerThatWillBeUsed() {
        assertThat(SettingsJudge.forNewAgent(null, "openai/gpt-4o", BEDROCK_DEFAULT).model())
                .isEqualTo("bedrock/us.anthropic.claude-haiku-4-5");
        assertThat(SettingsJudge.forNewAgent(null, "openai/gpt-4o", NO_DEPLOYMENT_DEFAULT).model()).isEqualTo("openai/gpt-5-mini");
        assertThat(SettingsJudge.forNewAgent(null, "anthropic/claude-sonnet-4-5", NO_DEPLOYMENT_DEFAULT).model())
                .isEqualTo("anthropic/claude-haiku-4-5");
        assertThat(SettingsJudge.forNewAgent(null, "xai/grok-4", NO_DEPLOYMENT_DEFAULT).model()).isEqualTo("xai/grok-4");
        AgentCompactionSettings named = SettingsJudge.forNewAgent(sent("{\"model\":\"groq/llama\",\"mode\":\"all\"}"), "xai/grok-4",
                BEDROCK_DEFAULT);
        assertThat(named.model()).isEqualTo("groq/llama");
        assertThat(named.prompt()).isEqualTo(CompactionMode.ALL.defaultPrompt());
        assertThat(SettingsJudge.forNewAgent(sent("{\"model\":null}"), "xai/grok-4", BEDROCK_DEFAULT).model())
                .isEqualTo("bedrock/us.anthropic.claude-haiku-4-5");
    }

    @Test
    void aPatchMergesPerFieldAndNullLeavesTheSettings() {
        AgentCompactionSettings stored = SettingsJudge.forNewAgent(sent("{\"mode\":\"all\",\"prompt\":\"P\",\"clip_chars\":40}"),
                "openai/gpt-4o", NO_DEPLOYMENT_DEFAULT);

        AgentCompactionSettings clipped = SettingsJudge.forUpdate(stored, sent("{\"clip_chars\":100}"), "openai/gpt-4o",
                "openai/gpt-4o", NO_DEPLOYMENT_DEFAULT);

        assertThat(clipped).isEqualTo(new AgentCompactionSettings("openai/gpt-5-mini", null, "P", false, 100L, "all", 0.3));
        assertThat(SettingsJudge.forUpdate(stored, null, "openai/gpt-4o", "openai/gpt-4o", NO_DEPLOYMENT_DEFAULT)).isEqualTo(stored);
        assertThat(SettingsJudge.forUpdate(stored, sent("{\"mode\":\"sliding_window\"}"), "openai/gpt-4o", "openai/gpt-4o",
                NO_DEPLOYMENT_DEFAULT).prompt()).isEqualTo(CompactionMode.SLIDING_WINDOW.defaultPrompt());
        assertThat(SettingsJudge.forUpdate(stored, sent("{\"mode\":\"sliding_window\",\"prompt\":\"Q\"}"), "openai/gpt-4o",
                "openai/gpt-4o", NO_DEPLOYMENT_DEFAULT).prompt()).isEqualTo("Q");
    }

    @Test
    void anAgentMovingToAnotherProviderTakesItsDefaultSummarizerWhenItHadTheOldDefault() {
        AgentCompactionSettings byDefault = SettingsJudge.forNewAgent(sent("{\"model_settings\":{\"provider_type\":\"openai\","
                + "\"max_output_tokens\":900}}"), "openai/gpt-4o", NO_DEPLOYMENT_DEFAULT);
        AgentCompactionSettings named = SettingsJudge.forNewAgent(sent("{\"model\":\"groq/llama\"}"), "openai/gpt-4o",
                NO_DEPLOYMENT_DEFAULT);

        AgentCompactionSettings moved = SettingsJudge.forUpdate(byDefault, null, "openai/gpt-4o", "anthropic/claude-sonnet-4-5",
                NO_DEPLOYMENT_DEFAULT);

        assertThat(moved.model()).isEqualTo("anthropic/claude-haiku-4-5");
        assertThat(moved.modelSettings()).isNull();
        assertThat(SettingsJudge.forUpdate(named, null, "openai/gpt-4o", "anthropic/claude-sonnet-4-5", NO_DEPLOYMENT_DEFAULT).model())
                .isEqualTo("groq/llama");
        assertThat(SettingsJudge.forUpdate(byDefault, null, "openai/gpt-4o", "openai/gpt-5", NO_DEPLOYMENT_DEFAULT))
                .isEqualTo(byDefault);
    }

    @Test
    void lettasOwnCaseIsAcceptedWithTemperatureDroppedForTheReasoningModel() {
        CompactionSettings settings = sent("""
                {"model": "openai/gpt-5-mini", "model_settings": {"provider_type": "openai", "temperature": 0.05,
                 "reasoning": {"reasoning_effort": "high"}, "not_a_field": true}}""");

        SettingsJudge.Judgement judged = SettingsJudge.apply(settings, ModelHandle.parse("openai/gpt-5-mini"));

        assertThat(judged.notApplied()).containsExactly("model_settings.temperature");
        assertThat(json(judged.settings().modelSettings())).isEqualTo(Map.of("provider_type", "openai",
                "reasoning", Map.of("reasoning_effort", "high")));
    }

    @Test
    void storedSettingsAreJudgedAsSentOnes() {
        AgentCompactionSettings stored = AgentCompactionSettings.fromJson("{\"model\":\"anthropic/claude-haiku-4-5\",\"model_settings\":"
                + "{\"provider_type\":\"anthropic\",\"max_output_tokens\":1000,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2000}}}");

        SettingsJudge.Judgement judged = SettingsJudge.apply(CompactionSettings.fromStored(stored), ModelHandle.parse("anthropic/claude-haiku-4-5"));

        assertThat(judged.notApplied()).as("a thinking budget not below the stored output limit").containsExactly("model_settings.thinking");
        assertThat(json(judged.settings().modelSettings())).isEqualTo(Map.of("provider_type", "anthropic", "max_output_tokens", 1000L));
    }

    @Test
    void aConversationsModelSettingsAreReadAndJudgedTheSameWay() {
        Fields fields = new Fields();
        ModelSettings read = SettingsJudge.readModelSettings(Json.tree("{\"provider_type\":\"anthropic\",\"effort\":\"low\","
                + "\"verbosity\":\"low\",\"x\":1}"), List.of("body", "model_settings"), fields);
        Fields invalid = new Fields();
        SettingsJudge.readModelSettings(Json.tree("{\"provider_type\":\"anthropic\",\"effort\":\"extreme\"}"),
                List.of("body", "model_settings"), invalid);

        assertThat(fields.errors()).isEmpty();
        assertThat(SettingsJudge.forModel(ModelHandle.parse("anthropic/claude-haiku-4-5"), read).notApplied())
                .containsExactly("model_settings.verbosity", "model_settings.effort");
        assertThat(SettingsJudge.forModel(ModelHandle.parse("anthropic/claude-sonnet-4-6"), read).notApplied())
                .containsExactly("model_settings.verbosity");
        assertThat(invalid.errors()).singleElement().satisfies(e -> assertThat(e.loc()).endsWith("effort"));
    }

    /** The settings as the JSON they are stored and returned as. */
    private static Map<String, Object> json(ModelSettings settings) {
        return settings == null ? null : Json.parseObject(settings.toJson());
    }
}
