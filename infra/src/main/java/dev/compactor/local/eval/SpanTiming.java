package dev.compactor.local.eval;

import dev.compactor.compaction.CompactionMode;
import dev.compactor.compaction.Transcript;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.Role;
import dev.compactor.llm.ChatMessage;
import dev.compactor.llm.ExtractiveSummarizer;
import dev.compactor.llm.SummaryRequest;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Times the extractive summarizer on one long span built from the set's own messages (repeated
 * until it holds the requested count), so the figure speaks for the kind of text evaluated. Wall
 * time and the thread's CPU time are both reported: on a shared machine the CPU time is the steadier.
 */
final class SpanTiming {
    static final int MESSAGES = 4_000;
    private static final int WARM_UP = 5;
    private static final int RUNS = 15;

    /** The measurement, for the table's footer and the report. */
    record Timing(int messages, long spanChars, double medianWallMillis, double medianCpuMillis, int runs) {
        String describe() {
            return String.format(Locale.ROOT, "local/extractive on a %,d-message span (%,d chars of the set's own messages): median %.1f ms wall, "
                    + "%.1f ms CPU (%d runs after %d warm-up)", messages, spanChars, medianWallMillis, medianCpuMillis, runs, WARM_UP);
        }
    }

    private SpanTiming() {}

    static Timing measure(List<EvalConversation> conversations, int messages) {
        List<Message> pool = new ArrayList<>();
        for (EvalConversation c : conversations) {
            for (Message m : c.messages()) {
                if (m.role() != Role.SYSTEM) {
                    pool.add(m);
                }
            }
        }
        List<Message> span = new ArrayList<>(messages);
        for (int i = 0; span.size() < messages; i++) {
            span.add(pool.get(i % pool.size()));
        }
        List<ChatMessage> turns = Transcript.turns(span, null);
        long chars = turns.stream().mapToLong(t -> t.text().length()).sum();
        SummaryRequest request = new SummaryRequest(ExtractiveSummarizer.HANDLE, null, List.of(ChatMessage.of("user", "transcript")),
                null, turns, CompactionMode.ALL.wordLimit(), 50_000, Instant.now().plusSeconds(600));
        ExtractiveSummarizer summarizer = new ExtractiveSummarizer();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < WARM_UP; i++) {
            summarizer.summarize(request);
        }
        long[] wall = new long[RUNS];
        long[] cpu = new long[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long c0 = threads.getCurrentThreadCpuTime();
            long w0 = System.nanoTime();
            summarizer.summarize(request);
            wall[i] = System.nanoTime() - w0;
            cpu[i] = threads.getCurrentThreadCpuTime() - c0;
        }
        Arrays.sort(wall);
        Arrays.sort(cpu);
        return new Timing(messages, chars, wall[RUNS / 2] / 1e6, cpu[RUNS / 2] / 1e6, RUNS);
    }
}
