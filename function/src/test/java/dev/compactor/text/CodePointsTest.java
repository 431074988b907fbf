package dev.compactor.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CodePointsTest {
    @Test
    void countsCharactersAsPythonDoes() {
        assertThat(CodePoints.count("a🚀é")).isEqualTo(3);
    }

    @Test
    void clipsNeverSplitASurrogatePair() {
        String s = "ab🚀🚀c";

        assertThat(CodePoints.prefix(s, 3)).isEqualTo("ab🚀");
        assertThat(CodePoints.prefix(s, 2)).isEqualTo("ab");
        assertThat(CodePoints.prefix(s, 5)).isEqualTo(s);
        assertThat(CodePoints.prefix(s, 99)).isEqualTo(s);
        assertThat(CodePoints.suffix(s, 2)).isEqualTo("🚀c");
        assertThat(CodePoints.suffix(s, 5)).isEqualTo(s);
    }
}
