package dev.compactor.conversation.dynamo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeysTest {

    @Test
    void summaryMarkersSortAfterTheLastMessageTheyCoverAndInsideTheHistoryRange() {
        List<String> keys = new ArrayList<>(List.of(Keys.message(6), Keys.summaryMarker(5, 3), Keys.message(5),
                Keys.summaryMarker(5, 1), Keys.message(10), Keys.summary(1), Keys.HEAD));
        Collections.sort(keys);

        assertThat(keys).containsExactly(Keys.HEAD, Keys.message(5), Keys.summaryMarker(5, 1), Keys.summaryMarker(5, 3),
                Keys.message(6), Keys.message(10), Keys.summary(1));
        assertThat(keys.subList(1, 6)).allMatch(k -> k.compareTo(Keys.HISTORY_FROM) > 0 && k.compareTo(Keys.HISTORY_TO) < 0);
        assertThat(Keys.summary(1)).isBetween(Keys.SUMMARIES_FROM, Keys.SUMMARIES_TO);
    }

    @Test
    void markersAreToldApartFromMessagesAndCarryTheirGeneration() {
        assertThat(Keys.isSummaryMarker(Keys.summaryMarker(12, 4))).isTrue();
        assertThat(Keys.isSummaryMarker(Keys.message(12))).isFalse();
        assertThat(Keys.generationOfMarker(Keys.summaryMarker(12, 4))).isEqualTo(4);
        assertThat(Keys.seqOf(Keys.message(123456))).isEqualTo(123456);
    }
}
