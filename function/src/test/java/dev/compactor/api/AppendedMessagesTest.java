package dev.compactor.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.compactor.input.InvalidInputException;
import dev.compactor.input.PythonRepr;
import org.junit.jupiter.api.Test;

class AppendedMessagesTest {

    /** The context in pydantic's order, the same in every JVM (a {@code Map.of} context was not). */
    @Test
    void anEmptyListIsTooShortWithPydanticsContextInPydanticsOrder() {
        assertThatThrownBy(() -> AppendedMessages.read(Bodies.optionalObject("{\"messages\": []}")))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(
                        PythonRepr.errors(e.errors())).isEqualTo("[{'type': 'too_short', 'loc': ('body', 'messages'), 'msg': "
                        + "'List should have at least 1 item after validation, not 0', 'input': [], "
                        + "'ctx': {'field_type': 'List', 'min_length': 1, 'actual_length': 0}}]"));
    }
}
