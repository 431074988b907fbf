package dev.compactor.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class DuePolicyTest {
    private static Agent agent(Double threshold) {
        return new Agent("agent-1", "a", "anthropic/claude-haiku-4-5", 200_000, "", "UTC", null, Instant.EPOCH, threshold, null);
    }

    @Test
    void anAgentsOwnThresholdWinsOverTheDeployments() {
        DuePolicy policy = new DuePolicy(0.9, 0);

        assertThat(policy.dueThreshold(agent(null))).isEqualTo(180_000);
        assertThat(policy.dueThreshold(agent(0.5))).isEqualTo(100_000);
    }

    @Test
    void theIdleThresholdIsOffWhenUnsetOrNotBelowTheDueThreshold() {
        assertThat(new DuePolicy(0.9, 0).idleThreshold(agent(null))).isZero();
        assertThat(new DuePolicy(0.9, 0.6).idleThreshold(agent(null))).isEqualTo(120_000);
        assertThat(new DuePolicy(0.9, 0.6).idleThreshold(agent(0.5))).isZero();
    }

    @Test
    void aContextIsDueAtTheThresholdAndIdleBetweenTheTwo() {
        assertThat(DueState.stateFor(180_000, 120_000, 180_000)).isEqualTo(DueState.DUE);
        assertThat(DueState.stateFor(180_000, 120_000, 179_999)).isEqualTo(DueState.IDLE);
        assertThat(DueState.stateFor(180_000, 120_000, 119_999)).isEqualTo(DueState.NONE);
        assertThat(DueState.stateFor(180_000, 0, 179_999)).isEqualTo(DueState.NONE);
    }

    @Test
    void refusesFractionsOutsideTheirRange() {
        assertThatThrownBy(() -> new DuePolicy(0, 0)).hasMessageContaining("(0, 1]");
        assertThatThrownBy(() -> new DuePolicy(1.1, 0)).hasMessageContaining("(0, 1]");
        assertThatThrownBy(() -> new DuePolicy(0.9, 1)).hasMessageContaining("[0, 1)");
        assertThatThrownBy(() -> agent(0.0)).hasMessageContaining("(0, 1]");
        assertThatThrownBy(() -> agent(1.5)).hasMessageContaining("(0, 1]");
    }
}
