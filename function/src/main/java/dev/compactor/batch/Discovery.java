package dev.compactor.batch;

import dev.compactor.conversation.DueConversation;
import dev.compactor.conversation.DueIndex;
import dev.compactor.conversation.DueState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scheduled discovery: reads the due index (due conversations first, then idle ones past their
 * quiet time, then ones queued long ago and never compacted), marks each entry as queued — only
 * if it is still there at the generation the index showed — and sends the marked ones to the
 * queue, ten per call. Partitions are read a page at a time by a few threads, so memory does not
 * grow with the number of due conversations, and a conversation is sent once per generation
 * however long the queue's backlog.
 */
public final class Discovery {
    static final int PAGE_SIZE = 100;
    static final int THREADS = DueState.SHARDS;

    /** What one run found and sent. */
    public record Report(Map<DueState, Integer> sent, int movedOn, boolean stoppedEarly) {
        public int total() {
            return sent.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private final DueIndex store;
    private final SqsSender queue;
    private final Clock clock;
    private final Duration idleQuiet;
    private final Duration requeueAfter;

    /**
     * @param idleQuiet how long a conversation above its idle threshold must go without activity
     * @param requeueAfter how long after being sent a conversation that is still not compacted is sent again
     */
    public Discovery(DueIndex store, SqsSender queue, Clock clock, Duration idleQuiet, Duration requeueAfter) {
        this.store = store;
        this.queue = queue;
        this.clock = clock;
        this.idleQuiet = idleQuiet;
        this.requeueAfter = requeueAfter;
    }

    /** Sends at most {@code maxConversations}, and starts no send after {@code deadline}. */
    public Report run(int maxConversations, Instant deadline) {
        Instant now = clock.instant();
        Run run = new Run(maxConversations, deadline);
        ExecutorService threads = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "discovery");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> partitions = new ArrayList<>();
            for (DueState state : List.of(DueState.DUE, DueState.IDLE, DueState.QUEUED)) {
                Instant before = now.minus(state == DueState.IDLE ? idleQuiet : requeueAfter);
                for (int shard = 0; shard < DueState.SHARDS; shard++) {
                    int s = shard;
                    partitions.add(threads.submit(() -> store.scanDue(state, s, before, PAGE_SIZE, run::take)));
                }
            }
            for (Future<?> partition : partitions) {
                partition.get();
            }
        } catch (ExecutionException e) {
            run.stop.set(true);
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during discovery", e);
        } finally {
            threads.shutdownNow();
        }
        Map<DueState, Integer> sent = new EnumMap<>(DueState.class);
        run.sent.forEach((state, count) -> sent.put(state, count.get()));
        return new Report(sent, run.movedOn.get(), run.stoppedEarly.get());
    }

    /** One run's shared budget and counts. */
    private final class Run {
        final AtomicInteger budget;
        final Instant deadline;
        final Map<DueState, AtomicInteger> sent = new EnumMap<>(DueState.class);
        final AtomicInteger movedOn = new AtomicInteger();
        final AtomicBoolean stoppedEarly = new AtomicBoolean();
        final AtomicBoolean stop = new AtomicBoolean();

        Run(int maxConversations, Instant deadline) {
            this.budget = new AtomicInteger(maxConversations);
            this.deadline = deadline;
            for (DueState state : List.of(DueState.DUE, DueState.IDLE, DueState.QUEUED)) {
                sent.put(state, new AtomicInteger());
            }
        }

        /** Claims and sends one page of entries, ten at a time; false to stop reading. */
        boolean take(List<DueConversation> page) {
            for (int from = 0; from < page.size(); from += SqsSender.MAX_BATCH) {
                if (stop.get()) {
                    return false;
                }
                int wanted = Math.min(SqsSender.MAX_BATCH, page.size() - from);
                int granted = reserve(wanted);
                if (granted == 0 || clock.instant().isAfter(deadline)) {
                    budget.addAndGet(granted);
                    stoppedEarly.set(true);
                    return false;
                }
                List<DueConversation> claimed = store.claimDue(page.subList(from, from + granted));
                budget.addAndGet(granted - claimed.size());
                movedOn.addAndGet(granted - claimed.size());
                if (!claimed.isEmpty()) {
                    queue.send(claimed.stream().map(d -> DueMessage.of(d).toJson()).toList());
                    claimed.forEach(d -> sent.get(d.listedAs()).incrementAndGet());
                }
                if (granted < wanted) {
                    // The budget ran out inside this page: what it did not grant is left for the next run.
                    stoppedEarly.set(true);
                    return false;
                }
            }
            return true;
        }

        private int reserve(int wanted) {
            while (true) {
                int left = budget.get();
                int granted = Math.min(left, wanted);
                if (budget.compareAndSet(left, left - granted)) {
                    return granted;
                }
            }
        }
    }
}
