package dev.compactor.compaction;

import dev.compactor.conversation.Message;
import dev.compactor.conversation.Role;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dry run's answer: a plan as JSON. The summarised and kept messages are contiguous (system +
 * summary + a suffix), so besides their ids the report gives their sequence ranges; id lists stop
 * at {@link #IDS_SHOWN} so that a 100k-message conversation still fits a Lambda response.
 */
public final class PlanReport {
    static final int IDS_SHOWN = 1000;

    private PlanReport() {}

    public static Map<String, Object> of(Compactor.Preview preview) {
        Plan plan = preview.plan();
        List<Message> context = plan.context();
        List<Message> replaced = plan.replaced();
        List<Message> kept = plan.kept();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("dry_run", true);
        out.put("mode_requested", preview.modeRequested().wire());
        out.put("mode", plan.mode().wire());
        out.put("fallbacks", preview.fallbacks());
        out.put("model", preview.model() == null ? null : preview.model().toString());
        out.put("prompt_hash", Prompts.hash(preview.prompt()));
        out.put("token_counter", preview.tokenCounter());
        out.put("tokens_before", plan.tokensBefore());
        out.put("tokens_after_without_summary", plan.tokensAfter());
        out.put("tokens_to_summarize", plan.tokensReplaced());
        out.put("system_message_id", context.isEmpty() ? null : context.get(0).id());
        out.put("summarizer_reads_system_message", plan.mode().isSelf());
        Map<String, Object> cut = null;
        if (plan.keptFrom() < context.size()) {
            Message first = context.get(plan.keptFrom());
            cut = new LinkedHashMap<>();
            cut.put("index", plan.keptFrom());
            cut.put("message_id", first.id());
            cut.put("seq", first.seq());
            cut.put("role", first.role().wire());
        }
        out.put("cut", cut);
        put(out, "summarize", replaced);
        put(out, "keep", kept);
        out.put("protected_groups", protectedGroups(plan));
        out.put("tool_integrity", preview.toolIntegrity().toJson());
        return out;
    }

    private static void put(Map<String, Object> out, String name, List<Message> messages) {
        out.put(name + "_count", messages.size());
        out.put(name + "_seq_range", messages.isEmpty() ? null
                : List.of(messages.get(0).seq(), messages.get(messages.size() - 1).seq()));
        List<String> ids = new ArrayList<>(Math.min(messages.size(), IDS_SHOWN));
        for (int i = 0; i < messages.size() && i < IDS_SHOWN; i++) {
            ids.add(messages.get(i).id());
        }
        out.put(name + "_ids", ids);
        out.put(name + "_ids_truncated", messages.size() > IDS_SHOWN);
    }

    /**
     * Messages the plan keeps together on purpose: the in-flight step at the end (a pending
     * approval with its same-step assistant message, an approval request with its response, calls
     * still waiting for results) and the tool-call group the kept part starts with.
     */
    static List<Map<String, Object>> protectedGroups(Plan plan) {
        List<Message> m = plan.context();
        int n = m.size();
        List<Map<String, Object>> groups = new ArrayList<>();
        if (n >= 2) {
            Planner.ToolIndex index = Planner.ToolIndex.of(m);
            int from = Planner.protectedFrom(m, index);
            if (from < n && from >= plan.keptFrom()) {
                String reason = m.get(n - 1).isApprovalRequest() ? "pending_approval"
                        : m.get(n - 1).role() == Role.APPROVAL ? "approval_response" : "open_tool_call";
                groups.add(group(reason, m.subList(from, n)));
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
            groups.add(group("tool_calls_at_cut", members));
        }
        return groups;
    }

    private static Map<String, Object> group(String reason, List<Message> members) {
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("reason", reason);
        g.put("ids", members.stream().map(Message::id).toList());
        return g;
    }
}
