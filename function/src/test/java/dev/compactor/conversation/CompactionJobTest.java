package dev.compactor.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A job is given up only once Lambda can no longer deliver an event that would run it. */
class CompactionJobTest {
    static final Instant CREATED = Instant.parse("2026-11-22T12:00:00Z");

    private static CompactionJob job(String status, Instant leaseUntil) {
        return new CompactionJob("acme", Ids.newJobId(), status, "conv-x", "{}", CREATED, null, null, 1, leaseUntil, null, null);
    }

    @Test
    void aQueuedJobIsAbandonedWhenItsEventIsTooOldToBeDelivered() {
        CompactionJob queued = CompactionJob.queued("acme", Ids.newJobId(), "conv-x", "{}", CREATED);

        assertThat(queued.abandoned(CREATED.plus(CompactionJob.MAX_EVENT_AGE))).isFalse();
        assertThat(queued.abandoned(CREATED.plus(CompactionJob.MAX_EVENT_AGE).plusSeconds(1))).isTrue();
    }

    @Test
    void aRunningJobIsAbandonedWhenARetryAfterItsLeaseCouldNoLongerArrive() {
        Instant lease = CREATED.plus(Duration.ofMinutes(14));
        CompactionJob running = job(CompactionJob.RUNNING, lease);

        assertThat(running.abandoned(lease.plus(CompactionJob.MAX_EVENT_AGE))).isFalse();
        assertThat(running.abandoned(lease.plus(CompactionJob.MAX_EVENT_AGE).plusSeconds(1))).isTrue();
    }

    @Test
    void aFinishedJobIsNeverAbandoned() {
        assertThat(job(CompactionJob.SUCCEEDED, CREATED).abandoned(CREATED.plus(Duration.ofDays(1)))).isFalse();
        assertThat(job(CompactionJob.FAILED, CREATED).abandoned(CREATED.plus(Duration.ofDays(1)))).isFalse();
    }
}
