package dev.compactor.input;

import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.support.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PythonReprTest {

    @Test
    void rendersPydanticErrorListsAsPythonRepr() {
        FieldError error = new FieldError("literal_error", List.of("body", "compaction_settings", "mode"),
                "Input should be 'all' or 'sliding_window'", "fast", Map.of("expected", "'all' or 'sliding_window'"));

        assertThat(PythonRepr.errors(List.of(error))).isEqualTo("[{'type': 'literal_error', 'loc': ('body', "
                + "'compaction_settings', 'mode'), 'msg': \"Input should be 'all' or 'sliding_window'\", 'input': 'fast', "
                + "'ctx': {'expected': \"'all' or 'sliding_window'\"}}]");
    }

    @Test
    void rendersScalarsAndSingleElementTuplesTheWayPythonDoes() {
        assertThat(PythonRepr.of(null)).isEqualTo("None");
        assertThat(PythonRepr.of(true)).isEqualTo("True");
        assertThat(PythonRepr.of(3L)).isEqualTo("3");
        assertThat(PythonRepr.of(0.5)).isEqualTo("0.5");
        assertThat(PythonRepr.of(Double.NaN)).isEqualTo("nan");
        assertThat(PythonRepr.of(new PythonRepr.Tuple(List.of("body")))).isEqualTo("('body',)");
        assertThat(PythonRepr.of("it's")).isEqualTo("\"it's\"");
        assertThat(PythonRepr.of("a\nb\\")).isEqualTo("'a\\nb\\\\'");
    }

    /** An error quotes the tree's node; Python would have quoted the value {@code json.loads} gives. */
    @Test
    void rendersJsonTreesAsPythonsReprOfTheDecodedValue() {
        assertThat(PythonRepr.of(Json.tree("{\"i\": 1, \"big\": 123456789012345678901234567890, \"f\": 1.0, \"e\": 1e20,"
                + " \"small\": 1e-05, \"neg\": -0.0, \"huge\": 1e999, \"s\": \"it's\", \"t\": true, \"n\": null,"
                + " \"l\": [1, [\"x\"], {}], \"k'\": {\"\\u00a0\": false}}")))
                .isEqualTo("{'i': 1, 'big': 123456789012345678901234567890, 'f': 1.0, 'e': 1e+20, 'small': 1e-05, 'neg': -0.0,"
                        + " 'huge': inf, 's': \"it's\", 't': True, 'n': None, 'l': [1, ['x'], {}], \"k'\": {'\\xa0': False}}");
        for (String json : List.of("0", "-7", "9223372036854775808", "0.1", "2.5e-300", "\"\"", "[]", "[null, 1.5]")) {
            assertThat(PythonRepr.of(Json.tree(json))).as(json).isEqualTo(PythonRepr.of(Json.parse(json)));
        }
    }

    @Test
    void escapesWhatPythonEscapesSuchAsNoBreakAndZeroWidthSpacesAndLineSeparators() {
        assertThat(PythonRepr.of("a\u00a0b")).isEqualTo("'a\\xa0b'");
        assertThat(PythonRepr.of("\u200b")).isEqualTo("'\\u200b'");
        assertThat(PythonRepr.of("\u2028\u0085\u00ad")).isEqualTo("'\\u2028\\x85\\xad'");
        assertThat(PythonRepr.of("x \ud800 y")).isEqualTo("'x \\ud800 y'");
        assertThat(PythonRepr.of("\udbff\udfff \ud83d\ude80 é")).as("a pair is one character").isEqualTo("'\\U0010ffff 🚀 é'");
    }

    /**
     * Every code point, compared with Python's own repr(): python-repr-digests.txt holds, per
     * block of 4096 code points, the SHA-256 of repr() of the block's code points each followed by
     * a space (function/scripts/python_repr_tables.py).
     */
    @Test
    void rendersEveryCodePointAsPythonsReprDoes() throws IOException, NoSuchAlgorithmException {
        String table;
        try (InputStream in = PythonReprTest.class.getResourceAsStream("python-repr-digests.txt")) {
            table = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
        int blocks = 0;
        for (String line : table.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).toList()) {
            String[] parts = line.split(" ");
            int first = Integer.parseInt(parts[0], 16);
            StringBuilder text = new StringBuilder();
            for (int cp = first; cp < first + 4096; cp++) {
                text.appendCodePoint(cp).append(' ');
            }
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(PythonRepr.of(text.toString()).getBytes(StandardCharsets.UTF_8));
            assertThat(HexFormat.of().formatHex(digest)).as("code points from U+%04X", first).isEqualTo(parts[1]);
            blocks++;
        }
        assertThat(blocks).isEqualTo(0x110000 / 4096);
    }
}
