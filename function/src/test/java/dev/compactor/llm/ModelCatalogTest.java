package dev.compactor.llm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ModelCatalogTest {
    private static int window(String handle) {
        return ModelCatalog.contextWindow(ModelHandle.parse(handle));
    }

    @Test
    void knowsTheContextWindowsOfTheCommonFamilies() {
        assertThat(window("bedrock/us.anthropic.claude-haiku-4-5-20251001-v1:0")).isEqualTo(200_000);
        assertThat(window("bedrock/amazon.nova-pro-v1:0")).isEqualTo(100_000);
        assertThat(window("openai/gpt-5-mini")).isEqualTo(272_000);
        assertThat(window("azure/gpt-4.1")).isEqualTo(256_000);
        assertThat(window("openai/o3")).isEqualTo(200_000);
        assertThat(window("google_ai/gemini-2.5-flash")).isEqualTo(1_048_576);
        assertThat(window("together/some-new-model")).isEqualTo(ModelCatalog.DEFAULT_CONTEXT_WINDOW);
        assertThat(window("local/extractive")).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void tellsReasoningAndResponsesOnlyOpenAiModelsApart() {
        assertThat(ModelCatalog.isOpenAiReasoningModel("gpt-5-mini")).isTrue();
        assertThat(ModelCatalog.isOpenAiReasoningModel("o4-mini")).isTrue();
        assertThat(ModelCatalog.isOpenAiReasoningModel("gpt-5-chat-latest")).isFalse();
        assertThat(ModelCatalog.isOpenAiReasoningModel("gpt-4o-mini")).isFalse();
        assertThat(ModelCatalog.needsResponsesApi("gpt-5-codex")).isTrue();
        assertThat(ModelCatalog.needsResponsesApi("o3-pro")).isTrue();
        assertThat(ModelCatalog.needsResponsesApi("gpt-5")).isFalse();
    }

    @Test
    void routesOpenAiReasoningModelsToResponsesWithLettasDefaults() {
        assertThat(ModelCatalog.usesResponsesApi("gpt-5-mini")).isTrue();
        assertThat(ModelCatalog.usesResponsesApi("o3")).isTrue();
        assertThat(ModelCatalog.usesResponsesApi("o4-mini")).isTrue();
        assertThat(ModelCatalog.usesResponsesApi("gpt-4.1-mini")).isFalse();
        assertThat(ModelCatalog.usesResponsesApi("gpt-4o")).isFalse();
        assertThat(ModelCatalog.defaultReasoningEffort("gpt-5-mini")).isEqualTo("minimal");
        assertThat(ModelCatalog.defaultReasoningEffort("gpt-5-codex")).isEqualTo("medium");
        assertThat(ModelCatalog.defaultReasoningEffort("gpt-5.1")).isEqualTo("none");
        assertThat(ModelCatalog.defaultReasoningEffort("o3")).isNull();
        assertThat(ModelCatalog.defaultVerbosity("gpt-5")).isEqualTo("medium");
        assertThat(ModelCatalog.defaultVerbosity("o3")).isNull();
    }

    @Test
    void onlyTheClaudeModelsLettaSendsEffortToTakeIt() {
        assertThat(ModelCatalog.anthropicTakesEffort("claude-opus-4-5-20251101")).isTrue();
        assertThat(ModelCatalog.anthropicTakesEffort("claude-opus-4-6")).isTrue();
        assertThat(ModelCatalog.anthropicTakesEffort("claude-sonnet-4-6")).isTrue();
        assertThat(ModelCatalog.anthropicTakesEffort("claude-haiku-4-5")).isFalse();
        assertThat(ModelCatalog.anthropicTakesEffort("claude-sonnet-4-5")).isFalse();
    }

    @Test
    void pricesListedModelsAndEstimatesNothingForOthers() {
        TokenUsage usage = new TokenUsage(1_000_000, 100_000, 2_000_000, 0);

        assertThat(Prices.estimateUsd(ModelHandle.parse("bedrock/us.anthropic.claude-haiku-4-5-20251001-v1:0"), usage)).isEqualTo(1.7);
        assertThat(Prices.estimateUsd(ModelHandle.parse("openai/gpt-5-mini"), usage)).isEqualTo(0.5);
        assertThat(Prices.estimateUsd(ModelHandle.parse("groq/llama-3.3-70b-versatile"), usage)).isNull();
        assertThat(Prices.estimateUsd(ExtractiveSummarizer.HANDLE, TokenUsage.NONE)).isEqualTo(0.0);
    }
}
