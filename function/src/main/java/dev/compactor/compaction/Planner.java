package dev.compactor.compaction;

import dev.compactor.conversation.Message;
import dev.compactor.conversation.Role;
import java.util.List;

/**
 * Decides, per mode, which messages are summarised and which stay — Letta's arithmetic, computed
 * in one pass over cached per-message token counts.
 */
public final class Planner {
    private Planner() {}

    /**
     * @param tokens per-message token estimates, aligned with {@code context}
     * @param contextWindow the agent's context window (the sliding goal uses the agent's, not the
     *     summarizer's)
     */
    public static Plan plan(CompactionMode mode, List<Message> context, int[] tokens, double percentage, int contextWindow) {
        int n = context.size();
        long[] suffix = new long[n + 1];
        for (int i = n - 1; i >= 0; i--) {
            suffix[i] = suffix[i + 1] + tokens[i];
        }
        long before = suffix[0];
        return switch (mode) {
            case ALL -> {
                int keptFrom = protectedFrom(context);
                yield plan(mode, context, keptFrom, 1, before, tokens, suffix);
            }
            case SELF_COMPACT_ALL -> {
                int keptFrom = n < 2 ? n : protectedFrom(context);
                yield plan(mode, context, keptFrom, 0, before, tokens, suffix);
            }
            case SLIDING_WINDOW -> plan(mode, context, slidingCut(context, tokens, suffix, percentage, contextWindow), 1,
                    before, tokens, suffix);
            case SELF_COMPACT_SLIDING_WINDOW -> plan(mode, context,
                    slidingCut(context, tokens, suffix, percentage, contextWindow), 0, before, tokens, suffix);
        };
    }

    private static Plan plan(CompactionMode mode, List<Message> context, int keptFrom, int spanFrom, long before,
                             int[] tokens, long[] suffix) {
        int n = context.size();
        List<Message> span = context.subList(Math.min(spanFrom, keptFrom), keptFrom);
        long after = (n == 0 ? 0 : tokens[0]) + (keptFrom < n ? suffix[keptFrom] : 0);
        return new Plan(mode, context, keptFrom, span, before, after);
    }

    /**
     * Letta's approval protection: a trailing approval (request or response) stays, and so does
     * the assistant message of the same step right before it.
     */
    static int protectedFrom(List<Message> m) {
        int n = m.size();
        if (n == 0 || m.get(n - 1).role() != Role.APPROVAL) {
            return n;
        }
        if (n >= 2 && m.get(n - 2).role() == Role.ASSISTANT && LlmView.sameStep(m.get(n - 2), m.get(n - 1))) {
            return n - 2;
        }
        return n - 1;
    }

    /**
     * Letta's sliding-window search: start by evicting {@code p} of the messages and grow the
     * evicted share in 0.10 steps (accumulated as doubles, rounded half to even) until the system
     * message plus the kept tail fits in {@code (1 - p)} of the context window. The tail starts at
     * the last valid cut (assistant or approval request) at or before the target index.
     *
     * <p>Unlike Letta, a cut that meets the goal is accepted even on the step where the evicted
     * share reaches 100%.
     */
    static int slidingCut(List<Message> m, int[] tokens, long[] suffix, double p, int contextWindow) {
        int n = m.size();
        if (n == 0) {
            throw new PlanningException("No assistant message found for sliding window summarization");
        }
        int maxIndex = m.get(n - 1).role() == Role.APPROVAL ? n - 2 : n - 1;
        int[] lastValid = new int[n];
        lastValid[0] = -1;
        for (int i = 1; i < n; i++) {
            lastValid[i] = m.get(i).isValidCutoff() ? i : lastValid[i - 1];
        }
        double e = p;
        double goal = (1 - p) * contextWindow;
        double current = contextWindow;
        int cut = -1;
        while (current >= goal && e < 1.0) {
            e += 0.10;
            long target = (long) Math.rint(e * n);
            int limit = (int) Math.min(target, n - 1);
            cut = limit >= 1 ? lastValid[limit] : -1;
            if (cut < 0) {
                continue;
            }
            current = tokens[0] + suffix[cut];
        }
        if (cut < 0 || current >= goal) {
            throw new PlanningException("No assistant message found for sliding window summarization");
        }
        if (cut >= maxIndex) {
            throw new PlanningException("Assistant message index " + cut + " is at the end of the message buffer, "
                    + "skipping summarization");
        }
        return cut;
    }
}
