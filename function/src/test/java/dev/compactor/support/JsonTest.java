package dev.compactor.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void parsesEveryJsonTypeIntoPlainJavaValues() {
        Object parsed = Json.parse("{\"s\":\"x\",\"i\":7,\"big\":123456789012345678901234567890,\"d\":0.5,\"b\":true,\"n\":null,\"l\":[1,\"a\"]}");

        Map<String, Object> expected = new HashMap<>(Map.of("s", "x", "i", 7L,
                "big", new BigInteger("123456789012345678901234567890"), "d", 0.5, "b", true, "l", List.of(1L, "a")));
        expected.put("n", null);
        assertThat(parsed).isEqualTo(expected);
    }

    @Test
    void keepsObjectKeyOrder() {
        assertThat(Json.write(Json.parse("{\"z\":1,\"a\":2,\"m\":3}"))).isEqualTo("{\"z\":1,\"a\":2,\"m\":3}");
    }

    @Test
    void rejectsMalformedDocuments() {
        assertThatThrownBy(() -> Json.parse("{\"a\":")).isInstanceOf(JsonSyntaxException.class);
        assertThatThrownBy(() -> Json.parse("")).isInstanceOf(JsonSyntaxException.class);
        assertThatThrownBy(() -> Json.parseObject("[1]")).isInstanceOf(JsonSyntaxException.class);
    }

    @Test
    void oneDocumentIsOneValueWithNothingAfterIt() {
        assertThatThrownBy(() -> Json.parse("{\"compaction_settings\":{}} this is not JSON"))
                .isInstanceOf(JsonSyntaxException.class);
        assertThatThrownBy(() -> Json.parse("{} {}")).isInstanceOf(JsonSyntaxException.class);
        assertThat(Json.parse(" {\"a\":1}\n")).isEqualTo(Map.of("a", 1L));
    }

    @Test
    void numbersKeepTheirJavaTypesAtEveryBoundary() {
        assertThat(Json.parse("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(Json.parse("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
        assertThat(Json.parse("9223372036854775808")).isEqualTo(new BigInteger("9223372036854775808"));
        assertThat(Json.parse("1E2")).isEqualTo(100.0);
        assertThat(Json.parse("-0.0")).isEqualTo(-0.0);
        assertThat(Json.parse("0.1")).isEqualTo(0.1);
    }

    @Test
    void compactOutputEscapesControlCharactersAndKeepsUnicode() {
        assertThat(Json.write(Map.of("k", "é\"\\\n\u0001"))).isEqualTo("{\"k\":\"é\\\"\\\\\\n\\u0001\"}");
    }

    @Test
    void reproducesPythonIndentedDumpsWithUnicodeKept() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("type", "system_alert");
        value.put("message", "héllo\nworld");
        value.put("n", 1);
        value.put("l", List.of(1, 2));
        value.put("e", Map.of());

        // json.dumps(value, indent=2, ensure_ascii=False)
        assertThat(JsonWriter.PYTHON_INDENT_2.write(value)).isEqualTo("""
                {
                  "type": "system_alert",
                  "message": "héllo\\nworld",
                  "n": 1,
                  "l": [
                    1,
                    2
                  ],
                  "e": {}
                }""");
    }

    @Test
    void reproducesPythonDefaultDumpsWithAsciiEscapes() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("a", "é😀");
        value.put("b", List.of(1, 2.5));
        // json.dumps(value)
        assertThat(JsonWriter.PYTHON_DEFAULT.write(value)).isEqualTo("{\"a\": \"\\u00e9\\ud83d\\ude00\", \"b\": [1, 2.5]}");
    }

    @Test
    void formatsFloatsLikePythonRepr() {
        assertThat(JsonWriter.pythonFloat(0.1)).isEqualTo("0.1");
        assertThat(JsonWriter.pythonFloat(100.0)).isEqualTo("100.0");
        assertThat(JsonWriter.pythonFloat(1234567.0)).isEqualTo("1234567.0");
        assertThat(JsonWriter.pythonFloat(1e-5)).isEqualTo("1e-05");
        assertThat(JsonWriter.pythonFloat(1e16)).isEqualTo("1e+16");
        assertThat(JsonWriter.pythonFloat(0.0001)).isEqualTo("0.0001");
        assertThat(JsonWriter.pythonFloat(0.7999999999999999)).isEqualTo("0.7999999999999999");
    }
}
