package dev.compactor.compaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.input.FieldError;
import dev.compactor.input.Fields;
import dev.compactor.support.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class SettingsParserTest {

    private static CompactionSettings parse(String json, Fields fields) {
        return SettingsParser.parse(Json.tree(json), List.of("body", "compaction_settings"), fields);
    }

    private static List<FieldError> errors(String json) {
        Fields fields = new Fields();
        assertThat(parse(json, fields)).isNull();
        return fields.errors();
    }

    @Test
    void anEmptyObjectGivesLettasDefaults() {
        CompactionSettings s = parse("{}", new Fields());

        assertThat(s.mode()).isEqualTo(CompactionMode.SLIDING_WINDOW);
        assertThat(s.slidingWindowPercentage()).isEqualTo(0.3);
        assertThat(s.clipChars()).isEqualTo(50_000L);
        assertThat(s.promptAcknowledgement()).isFalse();
        assertThat(s.model()).isNull();
        assertThat(s.prompt()).isNull();
        assertThat(s.fieldsSet()).isEmpty();
    }

    @Test
    void recordsWhichFieldsWereSentAndIgnoresUnknownOnes() {
        CompactionSettings s = parse("{\"mode\":\"all\",\"clip_chars\":null,\"colour\":\"blue\"}", new Fields());

        assertThat(s.mode()).isEqualTo(CompactionMode.ALL);
        assertThat(s.clipChars()).isNull();
        assertThat(s.fieldsSet()).containsExactlyInAnyOrder("mode", "clip_chars");
    }

    @Test
    void acceptsPydanticsLaxScalars() {
        CompactionSettings s = parse("{\"clip_chars\":\"1500\",\"prompt_acknowledgement\":\"yes\",\"sliding_window_percentage\":\"0.5\"}",
                new Fields());

        assertThat(s.clipChars()).isEqualTo(1500L);
        assertThat(s.promptAcknowledgement()).isTrue();
        assertThat(s.slidingWindowPercentage()).isEqualTo(0.5);
    }

    @Test
    void unknownModeIsALiteralError() {
        assertThat(errors("{\"mode\":\"fast\"}")).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("literal_error");
            assertThat(e.loc()).containsExactly("body", "compaction_settings", "mode");
            assertThat(e.msg()).isEqualTo("Input should be 'all', 'sliding_window', 'self_compact_all' or 'self_compact_sliding_window'");
        });
    }

    @Test
    void wrongTypesAreReportedFieldByFieldInDeclarationOrder() {
        assertThat(errors("{\"clip_chars\":\"lots\",\"prompt\":5,\"prompt_acknowledgement\":[]}"))
                .extracting(FieldError::type).containsExactly("string_type", "bool_type", "int_parsing");
    }

    @Test
    void outOfRangeValuesAreRejectedInsteadOfSilentlyChangingMode() {
        assertThat(errors("{\"sliding_window_percentage\":1.5}")).extracting(FieldError::type).containsExactly("less_than_equal");
        assertThat(errors("{\"sliding_window_percentage\":-0.1}")).extracting(FieldError::type).containsExactly("greater_than_equal");
        assertThat(errors("{\"sliding_window_percentage\":\"NaN\"}")).extracting(FieldError::type).containsExactly("finite_number");
        assertThat(errors("{\"clip_chars\":-1}")).extracting(FieldError::type).containsExactly("greater_than_equal");
        assertThat(errors("{\"clip_chars\":1e400}")).extracting(FieldError::type).containsExactly("finite_number");
    }

    @Test
    void modelSettingsNeedAKnownProviderType() {
        assertThat(errors("{\"model_settings\":{\"temperature\":0.1}}")).extracting(FieldError::type)
                .containsExactly("union_tag_not_found");
        assertThat(errors("{\"model_settings\":{\"provider_type\":\"acme\"}}")).singleElement()
                .satisfies(e -> assertThat(e.msg()).startsWith("Input tag 'acme' found using 'provider_type' does not match"));
        assertThat(parse("{\"model_settings\":{\"provider_type\":\"bedrock\",\"temperature\":0.1}}", new Fields()).modelSettings()
                .temperature()).isEqualTo(0.1);
    }

    @Test
    void modelMustBeAHandleOfAKnownProvider() {
        assertThat(errors("{\"model\":\"gpt-5\"}")).singleElement().satisfies(e -> assertThat(e.msg()).contains("provider/model-name"));
        assertThat(errors("{\"model\":\"acme/big-model\"}")).singleElement()
                .satisfies(e -> assertThat(e.msg()).contains("unknown provider 'acme'").contains("bedrock"));
    }

    @Test
    void requestFieldsOverrideStoredOnesOnlyWhenSent() {
        CompactionSettings stored = parse("{\"mode\":\"all\",\"clip_chars\":1500,\"prompt\":\"stored prompt\"}", new Fields());
        CompactionSettings request = parse("{\"clip_chars\":99}", new Fields());

        CompactionSettings merged = CompactionSettings.merge(stored, request);

        assertThat(merged.mode()).isEqualTo(CompactionMode.ALL);
        assertThat(merged.clipChars()).isEqualTo(99L);
        assertThat(merged.prompt()).isEqualTo("stored prompt");
    }

    @Test
    void aModeChangeWithoutAPromptResetsThePromptToTheNewModesDefault() {
        CompactionSettings stored = parse("{\"mode\":\"all\",\"prompt\":\"stored prompt\"}", new Fields());

        assertThat(CompactionSettings.merge(stored, parse("{\"mode\":\"sliding_window\"}", new Fields())).prompt())
                .isEqualTo(Prompts.SLIDING);
        assertThat(CompactionSettings.merge(stored, parse("{\"mode\":\"all\"}", new Fields())).prompt())
                .isEqualTo("stored prompt");
        assertThat(CompactionSettings.merge(stored, parse("{\"mode\":\"sliding_window\",\"prompt\":\"mine\"}", new Fields())).prompt())
                .isEqualTo("mine");
    }
}
