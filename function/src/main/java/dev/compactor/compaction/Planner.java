package dev.compactor.compaction;

import dev.compactor.conversation.ContentPart;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.Role;
import dev.compactor.conversation.ToolCall;
import dev.compactor.conversation.ToolReturn;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides, per mode, which messages are summarised and which stay — Letta's arithmetic, computed
 * in one pass over cached per-message token counts (suffix sums; no list is recounted).
 *
 * <p>What we add to Letta, so that every plan leaves a valid context (DESIGN §5): a tool result
 * never stays without the message that called it (the cut moves back to that message), and in
 * the {@code all} modes an in-flight step at the end stays whole — an approval request with the
 * response that answers it, and an assistant message whose tool calls have no result yet — the
 * way Letta already keeps a pending approval request with its same-step assistant message.
 */
public final class Planner {
    private Planner() {}

    /**
     * @param tokens per-message token estimates, aligned with {@code context}
     * @param contextWindow the agent's context window (the sliding goal uses the agent's, not the
     *     summarizer's)
     * @throws PlanningException when a sliding window has no usable cut (the caller falls back)
     */
    public static Plan plan(CompactionMode mode, List<Message> context, int[] tokens, double percentage, int contextWindow) {
        int n = context.size();
        long[] suffix = new long[n + 1];
        for (int i = n - 1; i >= 0; i--) {
            suffix[i] = suffix[i + 1] + tokens[i];
        }
        ToolIndex index = ToolIndex.of(context);
        int keptFrom = switch (mode) {
            case ALL, SELF_COMPACT_ALL -> n < 2 ? n : index.keepCallsWithResults(context, protectedFrom(context, index));
            case SLIDING_WINDOW, SELF_COMPACT_SLIDING_WINDOW -> slidingKeptFrom(context, tokens, suffix, percentage,
                    contextWindow, index);
        };
        int spanFrom = mode.isSelf() ? 0 : 1;
        List<Message> span = context.subList(Math.min(spanFrom, keptFrom), keptFrom);
        long after = (n == 0 ? 0 : tokens[0]) + (keptFrom < n ? suffix[keptFrom] : 0);
        long replaced = keptFrom <= 1 ? 0 : suffix[1] - suffix[keptFrom];
        return new Plan(mode, context, keptFrom, span, suffix[0], after, replaced);
    }

    /**
     * Where the protected end of the context starts in the {@code all} modes ({@code size} when
     * nothing is protected). Letta: a trailing approval (request or response) stays, and so does
     * the assistant message of the same step right before it. Ours on top: the approval request a
     * trailing response answers stays with it, and so does a trailing assistant message (or
     * approval request) with a tool call that has no result yet.
     */
    static int protectedFrom(List<Message> m, ToolIndex index) {
        int n = m.size();
        int from = n;
        if (n < 2) {
            return from;
        }
        Message last = m.get(n - 1);
        if (last.role() == Role.APPROVAL) {
            from = n - 1;
            if (!last.isApprovalRequest() && n - 2 >= 1 && m.get(n - 2).isApprovalRequest()) {
                from = n - 2;
            }
        }
        for (int i = n - 1; i >= 1; i--) {
            Message x = m.get(i);
            if (index.hasOpenCall(x)) {
                from = Math.min(from, i);
            }
            if (x.role() != Role.TOOL && x.role() != Role.APPROVAL) {
                break;
            }
        }
        if (from < n && from - 1 >= 1 && m.get(from).role() == Role.APPROVAL && m.get(from - 1).role() == Role.ASSISTANT
                && LlmView.sameStep(m.get(from - 1), m.get(from))) {
            from -= 1;
        }
        return from;
    }

    /**
     * The sliding window's kept part: Letta's cut, moved back to keep tool calls with their results.
     * Where Letta would not have stopped at that cut (ours accepts the last step, Letta falls back
     * to {@code all}) or would have kept fewer messages (it does not move the cut for tool results),
     * and the cut here would not reduce the message count, this is a planning failure: the caller
     * falls back to {@code all} as Letta does, rather than answering 400 where Letta compacts.
     */
    private static int slidingKeptFrom(List<Message> context, int[] tokens, long[] suffix, double percentage,
                                       int contextWindow, ToolIndex index) {
        Cut cut = slidingCut(context, tokens, suffix, percentage, contextWindow);
        int keptFrom = index.keepCallsWithResults(context, cut.index());
        int n = context.size();
        boolean reduces = reduces(n, keptFrom);
        if (!reduces && (cut.lastStep() || reduces(n, cut.index()))) {
            throw new PlanningException("The cut at message " + keptFrom + " would not reduce the message count, "
                    + "where Letta would compact in mode all");
        }
        return keptFrom;
    }

    /** Whether keeping the messages from {@code keptFrom}, after system and summary, leaves fewer than {@code n}. */
    private static boolean reduces(int n, int keptFrom) {
        return 2 + n - keptFrom < n;
    }

    /**
     * A sliding-window cut.
     *
     * @param lastStep whether it was found on the step where the evicted share reached 100%, where
     *     Letta stops searching and falls back to {@code all}
     */
    record Cut(int index, boolean lastStep) {}

    /**
     * Letta's sliding-window search: start by evicting {@code p} of the messages and grow the
     * evicted share in 0.10 steps (accumulated as doubles, rounded half to even) until the system
     * message plus the kept tail fits in {@code (1 - p)} of the context window. The tail starts at
     * the last valid cut (assistant or approval request) at or before the target index.
     *
     * <p>Unlike Letta, a cut that meets the goal is accepted even on the step where the evicted
     * share reaches 100%.
     */
    static Cut slidingCut(List<Message> m, int[] tokens, long[] suffix, double p, int contextWindow) {
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
        return new Cut(cut, e >= 1.0);
    }

    /** Tool calls and results of one context, indexed once. */
    static final class ToolIndex {
        /** Call id → index of the first message that carries the call. */
        private final Map<String, Integer> callAt;
        /** Call ids that have a result somewhere in the context. */
        private final Set<String> answered;
        /** Message id → index. */
        private final Map<String, Integer> messageAt;

        private ToolIndex(Map<String, Integer> callAt, Set<String> answered, Map<String, Integer> messageAt) {
            this.callAt = callAt;
            this.answered = answered;
            this.messageAt = messageAt;
        }

        static ToolIndex of(List<Message> m) {
            Map<String, Integer> callAt = new HashMap<>();
            Set<String> answered = new HashSet<>();
            Map<String, Integer> messageAt = HashMap.newHashMap(m.size());
            for (int i = 0; i < m.size(); i++) {
                Message x = m.get(i);
                for (ToolCall c : x.toolCalls()) {
                    if (c.id() != null) {
                        callAt.putIfAbsent(c.id(), i);
                    }
                }
                answered.addAll(resultIds(x));
                if (x.id() != null) {
                    messageAt.putIfAbsent(x.id(), i);
                }
            }
            return new ToolIndex(callAt, answered, messageAt);
        }

        /** Whether the message calls a tool that has no result anywhere in the context. */
        boolean hasOpenCall(Message x) {
            if (x.role() != Role.ASSISTANT && !x.isApprovalRequest()) {
                return false;
            }
            for (ToolCall c : x.toolCalls()) {
                if (c.id() != null && !answered.contains(c.id())) {
                    return true;
                }
            }
            return false;
        }

        /**
         * Moves the start of the kept part back until no kept tool result (or approval response)
         * is separated from the message that called (or requested) it. Linear: every message from
         * the final start to the end is looked at once.
         */
        int keepCallsWithResults(List<Message> m, int from) {
            int start = from;
            for (int i = m.size() - 1; i >= start; i--) {
                Message x = m.get(i);
                for (String id : resultIds(x)) {
                    Integer at = callAt.get(id);
                    if (at != null && at >= 1 && at < start) {
                        start = at;
                    }
                }
                if (x.isApprovalResponse() && x.approvalRequestId() != null) {
                    Integer at = messageAt.get(x.approvalRequestId());
                    if (at != null && at >= 1 && at < start) {
                        start = at;
                    }
                }
            }
            return start;
        }

        /** The call message's index for a call id, or null. */
        Integer callIndex(String callId) {
            return callAt.get(callId);
        }
    }

    /** The tool-call ids a message answers: its tool returns, legacy id, and tool-return parts. */
    static List<String> resultIds(Message x) {
        if (x.role() != Role.TOOL) {
            return List.of();
        }
        List<String> ids = new ArrayList<>(1);
        for (ToolReturn r : x.toolReturns()) {
            if (r.toolCallId() != null) {
                ids.add(r.toolCallId());
            }
        }
        if (x.toolCallId() != null) {
            ids.add(x.toolCallId());
        }
        for (ContentPart p : x.content()) {
            if (p instanceof ContentPart.ToolReturn tr && tr.toolCallId() != null) {
                ids.add(tr.toolCallId());
            }
        }
        return ids;
    }
}
