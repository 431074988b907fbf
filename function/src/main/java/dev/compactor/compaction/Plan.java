package dev.compactor.compaction;

import dev.compactor.conversation.Message;
import java.util.List;

/**
 * What one mode would do to a context, decided before any model is called.
 *
 * @param context the in-context messages (index 0 is the system message)
 * @param keptFrom index of the first message kept after the summary ({@code context.size()} when
 *     none is kept); the kept messages are always a suffix
 * @param span the messages the summarizer reads (self modes include the system message)
 * @param tokensBefore estimate of the whole context
 * @param tokensAfter estimate of system + kept messages (the summary is not counted, as in Letta)
 * @param tokensReplaced estimate of the messages the summary replaces (the span without the
 *     system message)
 */
public record Plan(CompactionMode mode, List<Message> context, int keptFrom, List<Message> span,
                   long tokensBefore, long tokensAfter, long tokensReplaced) {
    public Plan {
        context = List.copyOf(context);
        span = List.copyOf(span);
    }

    public int numBefore() {
        return context.size();
    }

    /** System + summary + kept messages. */
    public int numAfter() {
        return 2 + context.size() - keptFrom;
    }

    public boolean reduces() {
        return numAfter() < numBefore();
    }

    public List<Message> kept() {
        return context.subList(keptFrom, context.size());
    }

    /** The messages the summary replaces (the span without the system message). */
    public List<Message> replaced() {
        return context.subList(Math.min(1, keptFrom), keptFrom);
    }
}
