package dev.compactor.local.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The system clock moved forward by a settable amount, so a test can run out a lease or a TTL
 * without sleeping; it counts the reads each thread makes, so a test can see a waiter go round.
 */
public final class ShiftedClock extends Clock {
    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);
    private final Map<Thread, AtomicLong> reads = new ConcurrentHashMap<>();
    private final AtomicReference<Inside> hook = new AtomicReference<>();

    private record Inside(String className, String method, Runnable run) {}

    /**
     * Runs {@code run} once, on the first read made from inside {@code className.method}: a test's
     * way to make something happen at an exact point of the code under test (a race's window).
     */
    public void onReadInside(String className, String method, Runnable run) {
        hook.set(new Inside(className, method, run));
    }

    public void advance(Duration d) {
        offset.updateAndGet(o -> o.plus(d));
    }

    public long readsBy(Thread thread) {
        AtomicLong n = reads.get(thread);
        return n == null ? 0 : n.get();
    }

    @Override
    public Instant instant() {
        reads.computeIfAbsent(Thread.currentThread(), t -> new AtomicLong()).incrementAndGet();
        Inside inside = hook.get();
        if (inside != null && StackWalker.getInstance().walk(frames -> frames.anyMatch(
                f -> f.getClassName().equals(inside.className()) && f.getMethodName().equals(inside.method())))
                && hook.compareAndSet(inside, null)) {
            inside.run().run();
        }
        return Instant.now().plus(offset.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
    }
}
