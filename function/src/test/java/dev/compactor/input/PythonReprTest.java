package dev.compactor.input;

import static org.assertj.core.api.Assertions.assertThat;

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
}
