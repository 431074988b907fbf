package dev.compactor.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A request's deadline: the Lambda's, and the gateway's cut-off less the answer's reserve when that comes first. */
class ApiHandlerDeadlineTest {
    static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    static final Instant LAMBDA = NOW.plusSeconds(27);

    @Test
    void aRequestReceivedEarlierIsHeldToTheGatewaysTimeout() {
        long receivedTenSecondsAgo = NOW.minusSeconds(10).toEpochMilli();

        assertThat(ApiHandler.deadline(LAMBDA, receivedTenSecondsAgo, NOW)).isEqualTo(NOW.plusSeconds(29 - 10 - 2));
    }

    @Test
    void aRequestWhoseGatewayTimeIsNearlyUsedUpIsAlreadyLate() {
        long receivedAlmostTimeoutAgo = NOW.minusMillis(28_500).toEpochMilli();

        assertThat(ApiHandler.deadline(LAMBDA, receivedAlmostTimeoutAgo, NOW)).isBefore(NOW);
    }

    @Test
    void theLambdasDeadlineAppliesWhenItComesFirstOrNoGatewayIsWaiting() {
        assertThat(ApiHandler.deadline(NOW.plusSeconds(5), NOW.toEpochMilli(), NOW)).isEqualTo(NOW.plusSeconds(5));
        assertThat(ApiHandler.deadline(LAMBDA, null, NOW)).isEqualTo(LAMBDA);
        // An event older than any gateway waits was replayed by hand (sam local invoke -e).
        assertThat(ApiHandler.deadline(LAMBDA, NOW.minusSeconds(3600).toEpochMilli(), NOW)).isEqualTo(LAMBDA);
    }
}
