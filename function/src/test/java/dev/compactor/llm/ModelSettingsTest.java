package dev.compactor.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.compactor.compaction.SettingsParser;
import dev.compactor.input.FieldError;
import dev.compactor.input.Fields;
import dev.compactor.input.InvalidInputException;
import dev.compactor.support.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelSettingsTest {
    static final List<Object> LOC = List.of("body", "compaction_settings", "model_settings");

    private static Map<String, Object> valid(String json) {
        Fields fields = new Fields();
        Map<String, Object> out = ModelSettingsSchema.validate(Json.parseObject(json), LOC, fields);
        assertThat(fields.errors()).isEmpty();
        return out;
    }

    private static List<FieldError> errors(String json) {
        Fields fields = new Fields();
        assertThat(ModelSettingsSchema.validate(Json.parseObject(json), LOC, fields)).isNull();
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
        assertThat(errors("{\"provider_type\":\"baseten\",\"response_format\":{\"type\":\"text\"}}")).extracting(FieldError::type)
                .containsExactly("extra_forbidden");
    }

    @Test
    void theSettingsParserValidatesModelSettingsThroughTheSchema() {
        Fields fields = new Fields();

        assertThat(SettingsParser.parse(Json.parse("{\"model_settings\":{\"provider_type\":\"moonshot\",\"thinking\":{}}}"),
                List.of("body", "compaction_settings"), fields)).isNull();
        assertThat(fields.errors()).extracting(FieldError::type).containsExactly("extra_forbidden");
        assertThat(SettingsParser.parse(Json.parse("{\"model_settings\":{\"provider_type\":\"moonshot\",\"temperature\":\"0.3\"}}"),
                List.of("body", "compaction_settings"), new Fields()).modelSettings())
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
    void aFieldTheProvidersSettingsDoNotDeclareIsRejectedNotDropped() {
        assertThat(errors("{\"provider_type\":\"bedrock\",\"reasoning\":{\"reasoning_effort\":\"high\"}}")).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("extra_forbidden");
            assertThat(e.loc()).containsExactly("body", "compaction_settings", "model_settings", "bedrock", "reasoning");
        });
        assertThat(errors("{\"provider_type\":\"anthropic\",\"thinking\":{\"type\":\"enabled\",\"clear_thinking\":true}}"))
                .extracting(FieldError::type, FieldError::loc)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("extra_forbidden",
                        List.of("body", "compaction_settings", "model_settings", "anthropic", "thinking", "clear_thinking")));
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
    void settingsBindOnlyToAModelOfTheirProvider() {
        Map<String, Object> bedrock = valid("{\"provider_type\":\"bedrock\",\"max_output_tokens\":900}");

        assertThat(ModelSettings.forTarget(ModelHandle.parse("bedrock/x"), bedrock).maxOutputTokens()).isEqualTo(900);
        assertThat(ModelSettings.forTarget(ModelHandle.parse("bedrock/x"), null).maxOutputTokens())
                .isEqualTo(ModelCatalog.DEFAULT_MAX_OUTPUT_TOKENS);
        assertThatThrownBy(() -> ModelSettings.forTarget(ModelHandle.parse("anthropic/claude-haiku-4-5"), bedrock))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.errors().get(0).loc()).endsWith("provider_type"));
        assertThatThrownBy(() -> ModelSettings.forTarget(ExtractiveSummarizer.HANDLE, bedrock))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("takes no model_settings");
    }

    @Test
    void onlyTheOutputLimitCarriesOverToAFailoverModel() {
        Map<String, Object> anthropic = valid("{\"provider_type\":\"anthropic\",\"max_output_tokens\":900,\"temperature\":0.3,\"effort\":\"low\"}");

        ModelSettings.Carried toBedrock = ModelSettings.carryTo(ModelHandle.parse("bedrock/x"), anthropic);
        ModelSettings.Carried toExtractive = ModelSettings.carryTo(ExtractiveSummarizer.HANDLE, anthropic);

        assertThat(toBedrock.settings()).isEqualTo(Map.of("provider_type", "bedrock", "max_output_tokens", 900L));
        assertThat(toBedrock.dropped()).containsExactly("temperature", "effort");
        assertThat(toExtractive.settings()).isNull();
        assertThat(toExtractive.dropped()).containsExactly("temperature", "effort", "max_output_tokens");
        assertThat(ModelSettings.carryTo(ModelHandle.parse("bedrock/x"), null).dropped()).isEmpty();
    }
}
