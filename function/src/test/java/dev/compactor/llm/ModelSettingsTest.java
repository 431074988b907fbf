package dev.compactor.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.compactor.compaction.SettingsParser;
import dev.compactor.conversation.ModelSettings;
import dev.compactor.input.FieldError;
import dev.compactor.input.Fields;
import dev.compactor.support.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelSettingsTest {
    static final List<Object> LOC = List.of("body", "compaction_settings", "model_settings");

    private static ModelSettings settings(String json) {
        Fields fields = new Fields();
        ModelSettings out = ModelSettingsSchema.validate((ObjectNode) Json.tree(json), LOC, fields);
        assertThat(fields.errors()).isEmpty();
        return out;
    }

    private static Map<String, Object> valid(String json) {
        return json(settings(json));
    }

    /** The settings as the JSON they are stored and returned as. */
    private static Map<String, Object> json(ModelSettings settings) {
        return settings == null ? null : Json.parseObject(settings.toJson());
    }

    private static List<FieldError> errors(String json) {
        Fields fields = new Fields();
        assertThat(ModelSettingsSchema.validate((ObjectNode) Json.tree(json), LOC, fields)).isNull();
        return fields.errors();
    }

    @Test
    void everyTagOfLettasUnionHasAFieldList() {
        assertThat(SettingsParser.PROVIDER_TYPES).isEqualTo(ModelSettingsSchema.PROVIDER_TYPES).contains("moonshot", "moonshot_coding");
        for (String type : ModelSettingsSchema.PROVIDER_TYPES) {
            assertThat(valid("{\"provider_type\":\"" + type + "\",\"max_output_tokens\":5,\"temperature\":0.1,\"parallel_tool_calls\":true}"))
                    .hasSize(4);
        }
        assertThat(valid("{\"provider_type\":\"sglang\",\"reasoning\":{},\"tool_call_parser\":\"qwen25\",\"strict\":true}")).hasSize(4);
        assertThat(valid("{\"provider_type\":\"baseten\",\"response_format\":{\"type\":\"text\"}}"))
                .isEqualTo(Map.of("provider_type", "baseten"));
    }

    @Test
    void theSettingsParserValidatesModelSettingsThroughTheSchema() {
        Fields fields = new Fields();

        assertThat(json(SettingsParser.parse(Json.tree("{\"model_settings\":{\"provider_type\":\"moonshot\",\"thinking\":{}}}"),
                List.of("body", "compaction_settings"), fields).modelSettings())).isEqualTo(Map.of("provider_type", "moonshot"));
        assertThat(fields.errors()).isEmpty();
        assertThat(json(SettingsParser.parse(Json.tree("{\"model_settings\":{\"provider_type\":\"moonshot\",\"temperature\":\"0.3\"}}"),
                List.of("body", "compaction_settings"), new Fields()).modelSettings()))
                .isEqualTo(Map.of("provider_type", "moonshot", "temperature", 0.3));
    }

    @Test
    void keepsOnlyTheFieldsSentWithPydanticsCoercions() {
        assertThat(valid("{\"provider_type\":\"openai\",\"temperature\":\"0.5\",\"max_output_tokens\":2048.0,\"strict\":null,"
                + "\"reasoning\":{\"reasoning_effort\":\"xhigh\"},\"parallel_tool_calls\":\"yes\"}"))
                .isEqualTo(Map.of("provider_type", "openai", "temperature", 0.5, "max_output_tokens", 2048L,
                        "reasoning", Map.of("reasoning_effort", "xhigh"), "parallel_tool_calls", true));
    }

    @Test
    void aFieldTheProvidersSettingsDoNotDeclareIsIgnoredAsPydanticDoes() {
        assertThat(valid("{\"provider_type\":\"bedrock\",\"reasoning\":{\"reasoning_effort\":\"high\"},\"max_output_tokens\":9}"))
                .isEqualTo(Map.of("provider_type", "bedrock", "max_output_tokens", 9L));
        assertThat(valid("{\"provider_type\":\"anthropic\",\"thinking\":{\"type\":\"enabled\",\"clear_thinking\":true}}"))
                .isEqualTo(Map.of("provider_type", "anthropic", "thinking", Map.of("type", "enabled")));
    }

    @Test
    void enumsAndTypesFollowLettasSchema() {
        assertThat(errors("{\"provider_type\":\"chatgpt_oauth\",\"reasoning\":{\"reasoning_effort\":\"minimal\"}}"))
                .singleElement().satisfies(e -> assertThat(e.msg()).isEqualTo("Input should be 'none', 'low', 'medium', 'high' or 'xhigh'"));
        assertThat(errors("{\"provider_type\":\"anthropic\",\"effort\":\"extreme\",\"verbosity\":1,\"max_output_tokens\":0}"))
                .extracting(FieldError::type).containsExactly("greater_than_equal", "literal_error", "literal_error");
        assertThat(errors("{\"provider_type\":\"openai\",\"temperature\":3}")).extracting(FieldError::type).containsExactly("less_than_equal");
        assertThat(errors("{\"provider_type\":\"google_ai\",\"thinking_config\":{\"thinking_budget\":-2}}"))
                .extracting(FieldError::type).containsExactly("greater_than_equal");
        assertThat(valid("{\"provider_type\":\"google_vertex\",\"thinking_config\":{\"thinking_budget\":-1}}"))
                .containsEntry("thinking_config", Map.of("thinking_budget", -1L));
    }

    @Test
    void responseFormatsAreADiscriminatedUnion() {
        assertThat(valid("{\"provider_type\":\"xai\",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"s\"}}}"))
                .containsEntry("response_format", Map.of("type", "json_schema", "json_schema", Map.of("name", "s")));
        assertThat(errors("{\"provider_type\":\"xai\",\"response_format\":{\"type\":\"yaml\"}}")).extracting(FieldError::type)
                .containsExactly("union_tag_invalid");
        assertThat(errors("{\"provider_type\":\"xai\",\"response_format\":{}}")).extracting(FieldError::type)
                .containsExactly("union_tag_not_found");
        assertThat(errors("{\"provider_type\":\"xai\",\"response_format\":{\"type\":\"json_schema\"}}")).singleElement()
                .satisfies(e -> assertThat(e.loc()).endsWith("response_format", "json_schema", "json_schema"));
    }

    @Test
    void settingsOfAnotherProviderKeepWhatTheTargetsProviderDeclaresAndNameTheRest() {
        ModelSettings bedrock = settings("{\"provider_type\":\"bedrock\",\"max_output_tokens\":900}");
        ModelSettings openai = settings("{\"provider_type\":\"openai\",\"max_output_tokens\":900,\"temperature\":0.2,"
                + "\"reasoning\":{\"reasoning_effort\":\"high\"},\"strict\":true}");

        assertThat(SettingsFit.forTarget(ModelHandle.parse("bedrock/x"), bedrock).outputLimit()).isEqualTo(900);
        assertThat(SettingsFit.forTarget(ModelHandle.parse("bedrock/x"), null).outputLimit())
                .isEqualTo(ModelSettings.DEFAULT_MAX_OUTPUT_TOKENS);
        SettingsFit.Judged toAnthropic = SettingsFit.judge(ModelHandle.parse("anthropic/claude-haiku-4-5"), openai);
        assertThat(json(toAnthropic.settings())).isEqualTo(Map.of("provider_type", "anthropic", "max_output_tokens", 900L,
                "temperature", 0.2, "strict", true));
        assertThat(toAnthropic.notApplied()).containsExactly("model_settings.reasoning");
        SettingsFit.Judged toExtractive = SettingsFit.judge(ExtractiveSummarizer.HANDLE, openai);
        assertThat(json(toExtractive.settings())).isEqualTo(Map.of("provider_type", "openai"));
        assertThat(toExtractive.notApplied()).containsExactly("model_settings.max_output_tokens", "model_settings.temperature",
                "model_settings.reasoning", "model_settings.strict");
    }

    @Test
    void whatAModelCannotTakeIsDroppedAndNamed() {
        ModelSettings reasoning = settings("{\"provider_type\":\"openai\",\"temperature\":0.05,"
                + "\"reasoning\":{\"reasoning_effort\":\"high\"}}");
        SettingsFit.Judged gpt5 = SettingsFit.judge(ModelHandle.parse("openai/gpt-5-mini"), reasoning);
        SettingsFit.Judged gpt4o = SettingsFit.judge(ModelHandle.parse("openai/gpt-4o-mini"), reasoning);
        SettingsFit.Judged claude = SettingsFit.judge(ModelHandle.parse("anthropic/claude-haiku-4-5"), settings(
                "{\"provider_type\":\"anthropic\",\"verbosity\":\"low\",\"response_format\":{\"type\":\"json_object\"},"
                        + "\"max_output_tokens\":500,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024}}"));
        SettingsFit.Judged bedrock = SettingsFit.judge(ModelHandle.parse("bedrock/x"),
                settings("{\"provider_type\":\"bedrock\",\"response_format\":{\"type\":\"text\"},\"temperature\":0.1}"));

        assertThat(gpt5.notApplied()).containsExactly("model_settings.temperature");
        assertThat(json(gpt5.settings())).isEqualTo(Map.of("provider_type", "openai", "reasoning", Map.of("reasoning_effort", "high")));
        assertThat(gpt4o.notApplied()).containsExactly("model_settings.reasoning");
        assertThat(claude.notApplied()).containsExactly("model_settings.response_format", "model_settings.thinking",
                "model_settings.verbosity");
        assertThat(json(claude.settings())).isEqualTo(Map.of("provider_type", "anthropic", "max_output_tokens", 500L));
        assertThat(bedrock.notApplied()).isEmpty();
    }

    @Test
    void effortVerbosityAndReasoningGoOnlyToTheModelsLettaSendsThemTo() {
        ModelSettings anthropic = settings("{\"provider_type\":\"anthropic\",\"effort\":\"low\",\"verbosity\":\"low\"}");
        ModelSettings reasoning = settings("{\"provider_type\":\"openai\",\"reasoning\":{\"reasoning_effort\":\"high\"}}");

        assertThat(SettingsFit.judge(ModelHandle.parse("anthropic/claude-opus-4-6"), anthropic).notApplied())
                .containsExactly("model_settings.verbosity");
        assertThat(SettingsFit.judge(ModelHandle.parse("anthropic/claude-haiku-4-5"), anthropic).notApplied())
                .containsExactly("model_settings.verbosity", "model_settings.effort");
        SettingsFit.Judged gpt5 = SettingsFit.judge(ModelHandle.parse("openai/gpt-5-mini"), anthropic);
        assertThat(json(gpt5.settings())).isEqualTo(Map.of("provider_type", "openai", "verbosity", "low"));
        assertThat(gpt5.notApplied()).containsExactly("model_settings.effort");
        assertThat(SettingsFit.judge(ModelHandle.parse("openai/o3"), anthropic).notApplied())
                .containsExactly("model_settings.verbosity", "model_settings.effort");
        assertThat(SettingsFit.judge(ModelHandle.parse("openai/gpt-5-chat-latest"), reasoning).notApplied())
                .containsExactly("model_settings.reasoning");
        assertThat(SettingsFit.judge(ModelHandle.parse("openai/o5-mini"), reasoning).notApplied())
                .as("a reasoning model the Chat Completions path serves").containsExactly("model_settings.reasoning");
    }

    @Test
    void providersWithoutASettingsClassTakeTheClassTheirLettaClientReads() {
        ModelSettings openai = settings("{\"provider_type\":\"openai\",\"max_output_tokens\":900,\"temperature\":0.2,"
                + "\"reasoning\":{\"reasoning_effort\":\"high\"},\"response_format\":{\"type\":\"json_object\"}}");
        ModelSettings anthropic = settings("{\"provider_type\":\"anthropic\",\"temperature\":0.5,\"effort\":\"low\","
                + "\"response_format\":{\"type\":\"json_object\"}}");

        for (String handle : List.of("ollama/qwen3:8b", "vllm/Qwen/Qwen3-32B", "lmstudio_openai/qwen2.5-7b-instruct",
                "mistral/mistral-small-latest", "cerebras/llama-3.3-70b", "fireworks/accounts/fireworks/models/x",
                "hugging-face/meta-llama/Llama-3.3-70B-Instruct")) {
            ModelHandle target = ModelHandle.parse(handle);
            SettingsFit.Judged judged = SettingsFit.judge(target, openai);
            assertThat(judged.notApplied()).as(handle).containsExactly("model_settings.reasoning");
            assertThat(json(judged.settings())).as(handle).containsEntry("provider_type", target.provider()).containsEntry("temperature", 0.2)
                    .containsEntry("max_output_tokens", 900L).containsKey("response_format");
            assertThat(json(SettingsFit.carryTo(target, openai).settings())).as(handle).containsEntry("max_output_tokens", 900L);
        }
        SettingsFit.Judged minimax = SettingsFit.judge(ModelHandle.parse("minimax/MiniMax-M2"), anthropic);
        assertThat(json(minimax.settings())).isEqualTo(Map.of("provider_type", "minimax", "temperature", 0.5));
        assertThat(minimax.notApplied()).containsExactly("model_settings.response_format", "model_settings.effort");
    }

    @Test
    void onlyTheOutputLimitCarriesOverToAFailoverModel() {
        ModelSettings anthropic = settings("{\"provider_type\":\"anthropic\",\"max_output_tokens\":900,\"temperature\":0.3,\"effort\":\"low\"}");

        SettingsFit.Carried toBedrock = SettingsFit.carryTo(ModelHandle.parse("bedrock/x"), anthropic);
        SettingsFit.Carried toExtractive = SettingsFit.carryTo(ExtractiveSummarizer.HANDLE, anthropic);

        assertThat(json(toBedrock.settings())).isEqualTo(Map.of("provider_type", "bedrock", "max_output_tokens", 900L));
        assertThat(toBedrock.dropped()).containsExactly("temperature", "effort");
        assertThat(json(toExtractive.settings())).isNull();
        assertThat(toExtractive.dropped()).containsExactly("temperature", "effort", "max_output_tokens");
        assertThat(SettingsFit.carryTo(ModelHandle.parse("bedrock/x"), null).dropped()).isEmpty();
    }
}
