package dev.compactor.api;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.compactor.support.Env;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A request's deadline: the Lambda's, and the gateway's cut-off less the answer's reserve when that comes first. */
class ApiHandlerDeadlineTest {
    static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    static final Instant LAMBDA = NOW.plusSeconds(27);

    @Test
    void aRequestReceivedEarlierIsHeldToTheGatewaysTimeout() {
        long receivedTenSecondsAgo = NOW.minusSeconds(10).toEpochMilli();

        assertThat(ApiHandler.deadline(LAMBDA, receivedTenSecondsAgo, NOW, ApiHandler.GATEWAY_TIMEOUT)).isEqualTo(NOW.plusSeconds(29 - 10 - 2));
    }

    @Test
    void aRequestWhoseGatewayTimeIsNearlyUsedUpIsAlreadyLate() {
        long receivedAlmostTimeoutAgo = NOW.minusMillis(28_500).toEpochMilli();

        assertThat(ApiHandler.deadline(LAMBDA, receivedAlmostTimeoutAgo, NOW, ApiHandler.GATEWAY_TIMEOUT)).isBefore(NOW);
    }

    @Test
    void theLambdasDeadlineAppliesWhenItComesFirstOrNoGatewayIsWaiting() {
        assertThat(ApiHandler.deadline(NOW.plusSeconds(5), NOW.toEpochMilli(), NOW, ApiHandler.GATEWAY_TIMEOUT)).isEqualTo(NOW.plusSeconds(5));
        assertThat(ApiHandler.deadline(LAMBDA, null, NOW, ApiHandler.GATEWAY_TIMEOUT)).isEqualTo(LAMBDA);
        // An event older than any gateway waits was replayed by hand (sam local invoke -e).
        assertThat(ApiHandler.deadline(LAMBDA, NOW.minusSeconds(3600).toEpochMilli(), NOW, ApiHandler.GATEWAY_TIMEOUT)).isEqualTo(LAMBDA);
    }

    @Test
    void aLongerIntegrationTimeoutMovesTheGatewaysCutOffAndIsReadFromTheEnvironment() {
        Duration twoMinutes = ApiHandler.gatewayTimeout(new Env(Map.of(Env.INTEGRATION_TIMEOUT_SECONDS, "120")));
        long receivedTenSecondsAgo = NOW.minusSeconds(10).toEpochMilli();
        long receivedAMinuteAgo = NOW.minusSeconds(60).toEpochMilli();

        assertThat(twoMinutes).isEqualTo(Duration.ofSeconds(120));
        assertThat(ApiHandler.deadline(NOW.plusSeconds(118), receivedTenSecondsAgo, NOW, twoMinutes)).isEqualTo(NOW.plusSeconds(120 - 10 - 2));
        // A minute-old request is past REST's default 29 s, but a live gateway with 120 s still waits for it.
        assertThat(ApiHandler.deadline(NOW.plusSeconds(118), receivedAMinuteAgo, NOW, twoMinutes)).isEqualTo(NOW.plusSeconds(120 - 60 - 2));
        assertThat(ApiHandler.gatewayTimeout(new Env(Map.of()))).isEqualTo(Duration.ofSeconds(29));
        assertThatThrownBy(() -> ApiHandler.gatewayTimeout(new Env(Map.of(Env.INTEGRATION_TIMEOUT_SECONDS, "29.5"))))
                .hasMessageContaining(Env.INTEGRATION_TIMEOUT_SECONDS);
        assertThatThrownBy(() -> ApiHandler.gatewayTimeout(new Env(Map.of(Env.INTEGRATION_TIMEOUT_SECONDS, "901"))))
                .hasMessageContaining("from 1 to 900");
    }
}
