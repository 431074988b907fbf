package dev.compactor.local.command;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;


class ProgressBarTest {

    @Test
    void showsDoneOverTotalRateAndTimeLeft() {
        assertThat(ProgressBar.line(500, 2_000, 2.0))
                .isEqualTo("[#######.......................] 500/2000   25%  250.0/s  ETA 6s");
    }

    @Test
    void saysDiscoveryIsStillRunningWhileTheTotalIsUnknown() {
        assertThat(ProgressBar.line(12, -1, 1.0)).isEqualTo("12/?  discovering…  12.0/s");
    }

    @Test
    void aFinishedRunIsFullWithNothingLeft() {
        assertThat(ProgressBar.line(0, 0, 0.5)).isEqualTo("[##############################] 0/0  100%  0.0/s");
        assertThat(ProgressBar.line(40, 40, 4.0)).endsWith("40/40  100%  10.0/s  ETA 0s");
    }
}
