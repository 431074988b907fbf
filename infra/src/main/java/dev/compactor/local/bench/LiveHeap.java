package dev.compactor.local.bench;

import java.lang.management.ManagementFactory;

/**
 * The live heap of a run — what a full collection leaves — measured when a quarter, a half and
 * three quarters of its conversations are done; the largest of the three is its peak. Forced
 * collections, rather than heap use between collections, so that garbage not yet collected (which
 * depends on heap size and run time, not on the work in flight) does not count.
 */
public final class LiveHeap {
    private static final int POINTS = 3;

    private final long total;
    private long done;
    private int measured;
    private long peakBytes;

    LiveHeap(long total) {
        this.total = total;
    }

    /** One more conversation done; measures when that reaches the next quarter. */
    synchronized void done() {
        done++;
        if (measured < POINTS && done * (POINTS + 1) >= (measured + 1) * total) {
            measured++;
            System.gc();
            peakBytes = Math.max(peakBytes, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
    }

    synchronized long peakBytes() {
        return peakBytes;
    }
}
