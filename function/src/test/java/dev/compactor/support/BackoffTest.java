package dev.compactor.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1_000));

    /** A generator that always draws its largest value, so the delay is the cap itself. */
    private static final RandomGenerator HIGHEST = new RandomGenerator() {
        @Override
        public long nextLong() {
            throw new UnsupportedOperationException();
        }

        @Override
        public long nextLong(long bound) {
            return bound - 1;
        }
    };

    @Test
    void theCapDoublesWithEachAttemptUpToTheMaximum() {
        assertThat(backoff.delay(1, HIGHEST)).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.delay(2, HIGHEST)).isEqualTo(Duration.ofMillis(200));
        assertThat(backoff.delay(4, HIGHEST)).isEqualTo(Duration.ofMillis(800));
        assertThat(backoff.delay(5, HIGHEST)).isEqualTo(Duration.ofMillis(1_000));
        assertThat(backoff.delay(500, HIGHEST)).isEqualTo(Duration.ofMillis(1_000));
    }

    @Test
    void delaysAreSpreadOverTheWholeRangeBelowTheCap() {
        RandomGenerator random = RandomGenerator.of("L64X128MixRandom");
        long below = 0;
        long above = 0;
        for (int i = 0; i < 1_000; i++) {
            Duration d = backoff.delay(3, random);
            assertThat(d).isBetween(Duration.ZERO, Duration.ofMillis(400));
            if (d.toMillis() < 100) {
                below++;
            } else if (d.toMillis() > 300) {
                above++;
            }
        }
        // Full jitter: a quarter of the draws fall in each quarter of the range, not all near the cap.
        assertThat(below).isBetween(150L, 350L);
        assertThat(above).isBetween(150L, 350L);
    }

    @Test
    void refusesAMaximumBelowTheBase() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    }
}
