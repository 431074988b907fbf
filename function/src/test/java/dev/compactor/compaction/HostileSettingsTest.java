package dev.compactor.compaction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.input.FieldError;
import dev.compactor.input.Fields;
import dev.compactor.input.PythonRepr;
import dev.compactor.support.Json;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Hostile {@code compaction_settings}: NaN, infinities, negative and huge numbers, wrong types,
 * nested junk, unknown {@code provider_type}s. Each is either accepted with values the engine can
 * run, or rejected field by field with pydantic's error shape (a 422) — never an exception (a 500).
 */
class HostileSettingsTest {
    static final List<String> FIELDS = List.of("model", "model_settings", "prompt", "prompt_acknowledgement", "clip_chars",
            "mode", "sliding_window_percentage", "unknown_field");

    @Provide
    Arbitrary<Object> hostile() {
        Arbitrary<Object> scalars = Arbitraries.oneOf(
                Arbitraries.just(null),
                Arbitraries.of(true, false),
                Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, 0L, -1L, 1L).map(l -> (Object) l),
                Arbitraries.doubles().map(d -> (Object) d),
                Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 1e308, -1e-308, 0.5, 1.0000001)
                        .map(d -> (Object) d),
                Arbitraries.of(new BigInteger("123456789012345678901234567890"), new BigInteger("-99999999999999999999"))
                        .map(b -> (Object) b),
                Arbitraries.of("NaN", "inf", "-inf", "1e999", "-0", "0.3", "  42 ", "1_000", "yes", "all", "", "\u0000",
                        "anthropic/", "/model", "acme/x", "letta/auto", "bedrock/us.anthropic.claude-haiku-4-5-20251001-v1:0")
                        .map(s -> (Object) s),
                Arbitraries.strings().ofMaxLength(30).map(s -> (Object) s));
        Arbitrary<Object> lists = scalars.list().ofMaxSize(3).map(l -> (Object) l);
        Arbitrary<Object> providerSettings = Arbitraries.oneOf(scalars,
                        Arbitraries.of("openai", "anthropic", "bedrock", "acme", "OPENAI", "").map(s -> (Object) s))
                .map(tag -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("provider_type", tag);
                    m.put("temperature", Double.NaN);
                    return (Object) m;
                });
        Arbitrary<Object> maps = scalars.map(v -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("x", v);
            return (Object) m;
        });
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, scalars), net.jqwik.api.Tuple.of(1, lists),
                net.jqwik.api.Tuple.of(1, maps), net.jqwik.api.Tuple.of(2, providerSettings));
    }

    @Provide
    Arbitrary<Map<String, Object>> settingsObjects() {
        return Arbitraries.maps(Arbitraries.of(FIELDS), hostile()).ofMaxSize(FIELDS.size());
    }

    @Property(tries = 2000)
    void hostileSettingsAreRejectedFieldByFieldOrRunnable(@ForAll("settingsObjects") Map<String, Object> json) {
        Fields fields = new Fields();

        CompactionSettings s = SettingsParser.parse(tree(json), List.of("body", "compaction_settings"), fields);

        if (s == null) {
            assertThat(fields.errors()).isNotEmpty().allSatisfy(e -> {
                assertThat(e.type()).isNotBlank();
                assertThat(e.loc()).startsWith("body", "compaction_settings");
            });
            assertThat(PythonRepr.errors(fields.errors())).startsWith("[{'type': ");
            return;
        }
        assertThat(fields.errors()).isEmpty();
        assertThat(s.mode()).isNotNull();
        assertThat(s.slidingWindowPercentage()).isBetween(0.0, 1.0);
        if (s.clipChars() != null) {
            assertThat(s.clipChars()).isNotNegative();
        }
        if (s.model() != null) {
            assertThat(new ModelChoice(null).summarizer(s, "openai/gpt-5")).isNotNull();
        }
        assertThat(s.effectivePrompt()).isNotBlank();
        assertThat(CompactionSettings.merge(CompactionSettings.defaults(), s).mode()).isEqualTo(s.mode());
    }

    @Property(tries = 500)
    void anythingInPlaceOfTheSettingsObjectIsA422OrDefaults(@ForAll("hostile") Object value) {
        Fields fields = new Fields();

        CompactionSettings s = SettingsParser.parse(tree(value), List.of("body", "compaction_settings"), fields);

        if (value == null || value instanceof Map<?, ?>) {
            return;
        }
        assertThat(s).isNull();
        assertThat(fields.errors()).extracting(FieldError::type).containsExactly("model_attributes_type");
    }

    /** A plain value as a tree, NaN and infinities kept (a default mapper writes them as numbers, not strings). */
    private static JsonNode tree(Object value) {
        return new ObjectMapper().valueToTree(value);
    }

    private static List<String> errorTypes(String json) {
        Fields fields = new Fields();
        assertThat(SettingsParser.parse(Json.tree(json), List.of("body", "compaction_settings"), fields)).isNull();
        return fields.errors().stream().map(FieldError::type).toList();
    }

    @Test
    void namedHostileValues() {
        assertThat(errorTypes("{\"sliding_window_percentage\": \"NaN\"}")).containsExactly("finite_number");
        assertThat(errorTypes("{\"sliding_window_percentage\": 1e999}")).containsExactly("finite_number");
        assertThat(errorTypes("{\"sliding_window_percentage\": -0.5}")).containsExactly("greater_than_equal");
        assertThat(errorTypes("{\"sliding_window_percentage\": null}")).containsExactly("float_type");
        assertThat(errorTypes("{\"sliding_window_percentage\": [0.3]}")).containsExactly("float_type");
        assertThat(errorTypes("{\"clip_chars\": 123456789012345678901234567890}")).containsExactly("int_parsing_size");
        assertThat(errorTypes("{\"clip_chars\": 2.5}")).containsExactly("int_from_float");
        assertThat(errorTypes("{\"clip_chars\": -5}")).containsExactly("greater_than_equal");
        assertThat(errorTypes("{\"clip_chars\": {}}")).containsExactly("int_type");
        assertThat(errorTypes("{\"mode\": null}")).containsExactly("literal_error");
        assertThat(errorTypes("{\"mode\": 3}")).containsExactly("literal_error");
        assertThat(errorTypes("{\"prompt_acknowledgement\": null}")).containsExactly("bool_type");
        assertThat(errorTypes("{\"prompt_acknowledgement\": \"maybe\"}")).containsExactly("bool_parsing");
        assertThat(errorTypes("{\"model\": 42}")).containsExactly("string_type");
        assertThat(errorTypes("{\"model\": \"acme/huge\"}")).containsExactly("value_error");
        assertThat(errorTypes("{\"model_settings\": {\"provider_type\": 5}}")).containsExactly("union_tag_invalid");
        assertThat(errorTypes("{\"model_settings\": {\"provider_type\": \"acme\"}}")).containsExactly("union_tag_invalid");
        assertThat(errorTypes("{\"model_settings\": {}}")).containsExactly("union_tag_not_found");
        assertThat(errorTypes("{\"model_settings\": \"openai\"}")).containsExactly("model_attributes_type");
        assertThat(errorTypes("{\"clip_chars\": \"x\", \"mode\": \"fast\", \"sliding_window_percentage\": 7}"))
                .containsExactly("int_parsing", "literal_error", "less_than_equal");
    }

    @Test
    void hugeButValidValuesRun() {
        Fields fields = new Fields();
        CompactionSettings s = SettingsParser.parse(Json.tree("{\"clip_chars\": 9223372036854775807, \"sliding_window_percentage\": 0,"
                + " \"model\": \"letta/auto\", \"prompt\": \"\"}"), List.of("body", "compaction_settings"), fields);

        assertThat(fields.errors()).isEmpty();
        assertThat(s.clipChars()).isEqualTo(Long.MAX_VALUE);
        assertThat(SummaryPackager.clip("short", s.clipChars())).isEqualTo("short");
        assertThat(s.effectivePrompt()).isEqualTo(Prompts.SLIDING);
        assertThat(new ModelChoice(null).summarizer(s, "openai/gpt-5")).isEqualTo(ModelChoice.LETTA_AUTO_SUMMARIZER);
    }
}
