package dev.compactor.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class RetrierTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final List<Duration> slept = new ArrayList<>();
    private final List<Instant> attemptDeadlines = new ArrayList<>();
    private final Retrier retrier = new Retrier(3, Duration.ofMillis(500), Duration.ofSeconds(8), Duration.ofSeconds(2),
            Duration.ofSeconds(60), RandomGenerator.of("L64X128MixRandom"), clock, d -> {
                slept.add(d);
                clock.advance(d);
            });

    private static LlmException overloaded() {
        return new LlmException(LlmException.Kind.OVERLOADED, "anthropic", "overloaded");
    }

    private String failing(int times, LlmException e, Instant deadline) {
        int[] calls = {0};
        return retrier.call("anthropic", deadline, attemptDeadline -> {
            attemptDeadlines.add(attemptDeadline);
            if (calls[0]++ < times) {
                throw e;
            }
            return "ok";
        });
    }

    @Test
    void retriesTransientFailuresWithJitteredExponentialBackoff() {
        assertThat(failing(2, overloaded(), clock.instant().plusSeconds(30))).isEqualTo("ok");

        assertThat(slept).hasSize(2);
        assertThat(slept.get(0)).isBetween(Duration.ZERO, Duration.ofMillis(500));
        assertThat(slept.get(1)).isBetween(Duration.ZERO, Duration.ofMillis(1000));
    }

    @Test
    void stopsAfterTheLastAttempt() {
        assertThatThrownBy(() -> failing(5, overloaded(), clock.instant().plusSeconds(30))).isInstanceOf(LlmException.class);
        assertThat(attemptDeadlines).hasSize(3);
    }

    @Test
    void neverRetriesAPermanentFailure() {
        LlmException badRequest = new LlmException(LlmException.Kind.BAD_REQUEST, "openai", "bad");

        assertThatThrownBy(() -> failing(1, badRequest, clock.instant().plusSeconds(30))).isSameAs(badRequest);
        assertThat(slept).isEmpty();
    }

    @Test
    void honoursRetryAfterButNotPastTheDeadline() {
        LlmException wait3s = new LlmException(LlmException.Kind.RATE_LIMIT, "openai", "slow down", null, true, Duration.ofSeconds(3));

        assertThat(failing(1, wait3s, clock.instant().plusSeconds(30))).isEqualTo("ok");
        assertThat(slept).containsExactly(Duration.ofSeconds(3));

        slept.clear();
        assertThatThrownBy(() -> failing(1, wait3s, clock.instant().plusSeconds(4))).isSameAs(wait3s);
        assertThat(slept).isEmpty();
    }

    @Test
    void eachAttemptEndsByTheDeadlineAndNoneStartsTooLate() {
        Instant deadline = clock.instant().plusSeconds(10);
        failing(0, overloaded(), deadline);
        assertThat(attemptDeadlines).containsExactly(deadline);

        Instant far = clock.instant().plusSeconds(600);
        attemptDeadlines.clear();
        failing(0, overloaded(), far);
        assertThat(attemptDeadlines).containsExactly(clock.instant().plusSeconds(60));

        assertThatThrownBy(() -> failing(0, overloaded(), clock.instant().plusSeconds(1)))
                .isInstanceOfSatisfying(LlmException.class, e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.TIMEOUT));
    }
}
