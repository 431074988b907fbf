package dev.compactor.compaction;

import dev.compactor.conversation.CompactionReport;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.Role;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The dry run's answer: a plan. The summarised and kept messages are contiguous (system + summary
 * + a suffix), so besides their ids the report gives their sequence ranges; id lists stop at
 * {@link #IDS_SHOWN} so that a 100k-message conversation still fits a Lambda response.
 *
 * @param model the model that would write the summary, or null when there is none
 * @param tokensAfterWithoutSummary system + kept messages, as Letta counts them
 * @param cut the first kept message, or null when none is kept
 * @param protectedGroups messages the plan keeps together on purpose
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PlanReport(
        boolean dryRun,
        String modeRequested,
        String mode,
        List<String> fallbacks,
        String model,
        String promptHash,
        String tokenCounter,
        long tokensBefore,
        long tokensAfterWithoutSummary,
        long tokensToSummarize,
        String systemMessageId,
        boolean summarizerReadsSystemMessage,
        Cut cut,
        @JsonUnwrapped(prefix = "summarize_") Section summarize,
        @JsonUnwrapped(prefix = "keep_") Section keep,
        List<Group> protectedGroups,
        CompactionReport.ToolIntegrity toolIntegrity) {
    static final int IDS_SHOWN = 1000;

    /** Where the kept part starts: its index in the context and its first message. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Cut(int index, String messageId, long seq, String role) {}

    /**
     * The summarised or the kept messages.
     *
     * @param seqRange the first and last sequence numbers, or null when there are none
     * @param ids the first {@link #IDS_SHOWN} ids
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Section(int count, List<Long> seqRange, List<String> ids, boolean idsTruncated) {
        static Section of(List<Message> messages) {
            List<Long> range = messages.isEmpty() ? null : List.of(messages.get(0).seq(), messages.get(messages.size() - 1).seq());
            List<String> ids = new ArrayList<>(Math.min(messages.size(), IDS_SHOWN));
            for (int i = 0; i < messages.size() && i < IDS_SHOWN; i++) {
                ids.add(messages.get(i).id());
            }
            return new Section(messages.size(), range, ids, messages.size() > IDS_SHOWN);
        }
    }

    /** @param reason {@code pending_approval}, {@code approval_response}, {@code open_tool_call} or {@code tool_calls_at_cut} */
    public record Group(String reason, List<String> ids) {
        static Group of(String reason, List<Message> members) {
            return new Group(reason, members.stream().map(Message::id).toList());
        }
    }

    public static PlanReport of(Compactor.Preview preview) {
        Plan plan = preview.plan();
        List<Message> context = plan.context();
        Cut cut = null;
        if (plan.keptFrom() < context.size()) {
            Message first = context.get(plan.keptFrom());
            cut = new Cut(plan.keptFrom(), first.id(), first.seq(), first.role().wire());
        }
        return new PlanReport(true, preview.modeRequested().wire(), plan.mode().wire(), preview.fallbacks(),
                preview.model() == null ? null : preview.model().toString(), Prompts.hash(preview.prompt()),
                preview.tokenCounter(), plan.tokensBefore(), plan.tokensAfter(), plan.tokensReplaced(),
                context.isEmpty() ? null : context.get(0).id(), plan.mode().isSelf(), cut, Section.of(plan.replaced()),
                Section.of(plan.kept()), protectedGroups(plan), preview.toolIntegrity());
    }

    /**
     * Messages the plan keeps together on purpose: the in-flight step at the end (a pending
     * approval with its same-step assistant message, an approval request with its response, calls
     * still waiting for results) and the tool-call group the kept part starts with.
     */
    static List<Group> protectedGroups(Plan plan) {
        List<Message> m = plan.context();
        int n = m.size();
        List<Group> groups = new ArrayList<>();
        if (n >= 2) {
            Planner.ToolIndex index = Planner.ToolIndex.of(m);
            int from = Planner.protectedFrom(m, index);
            if (from < n && from >= plan.keptFrom()) {
                String reason = m.get(n - 1).isApprovalRequest() ? "pending_approval"
                        : m.get(n - 1).role() == Role.APPROVAL ? "approval_response" : "open_tool_call";
                groups.add(Group.of(reason, m.subList(from, n)));
            }
        }
        if (plan.keptFrom() < n && !m.get(plan.keptFrom()).toolCalls().isEmpty()) {
            Message first = m.get(plan.keptFrom());
            Set<String> calls = new HashSet<>();
            first.toolCalls().forEach(c -> calls.add(c.id()));
            List<Message> members = new ArrayList<>();
            members.add(first);
            for (int i = plan.keptFrom() + 1; i < n; i++) {
                Message x = m.get(i);
                if (x.role() == Role.TOOL && Planner.resultIds(x).stream().anyMatch(calls::contains)) {
                    members.add(x);
                }
            }
            groups.add(Group.of("tool_calls_at_cut", members));
        }
        return groups;
    }
}
