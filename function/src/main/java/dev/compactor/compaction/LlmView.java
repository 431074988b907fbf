package dev.compactor.compaction;

import dev.compactor.conversation.ContentPart;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.Role;
import dev.compactor.conversation.ToolCall;
import dev.compactor.conversation.ToolReturn;
import dev.compactor.llm.ChatMessage;
import dev.compactor.llm.render.Texts;
import dev.compactor.text.CodePoints;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Messages as a chat model sees them, following Letta's conversion: the pre-filter that keeps
 * requests valid (pending approvals, reasoning-only endings, merged approval calls, duplicate tool
 * returns) and the per-role mapping to OpenAI-style chat turns.
 */
public final class LlmView {
    /** Letta truncates tool-call ids to this length for OpenAI compatibility. */
    static final int TOOL_CALL_ID_MAX = 29;
    /** Letta's tool-return clamp used by the first context-window fallback. */
    public static final int TOOL_RETURN_CLAMP = 5000;

    private LlmView() {}

    /** Filters then converts; {@code toolReturnLimit} clamps tool results (null for no clamp). */
    public static List<ChatMessage> toChat(List<Message> messages, Integer toolReturnLimit) {
        List<ChatMessage> out = new ArrayList<>(messages.size());
        for (Message m : filter(messages)) {
            out.addAll(convert(m, toolReturnLimit));
        }
        return out;
    }

    /** One message's chat turns without the list-level filter (used to size a message on its own). */
    public static List<ChatMessage> convertAlone(Message m) {
        return convert(m, null);
    }

    /** Letta's {@code filter_messages_for_llm_api}. */
    static List<Message> filter(List<Message> input) {
        List<Message> ms = new ArrayList<>();
        for (Message m : input) {
            if (m != null) {
                ms.add(m);
            }
        }
        if (ms.isEmpty()) {
            return ms;
        }
        // A summary wedged between an approval request and its response (or the end) once broke
        // human-in-the-loop flows; such a request is dropped.
        List<Message> repaired = new ArrayList<>(ms.size());
        for (int i = 0; i < ms.size(); i++) {
            Message m = ms.get(i);
            if (m.isApprovalRequest() && i + 1 < ms.size() && isSummarization(ms.get(i + 1))
                    && (i + 2 == ms.size() || ms.get(i + 2).isApprovalResponse())) {
                continue;
            }
            repaired.add(m);
        }
        ms = repaired;
        if (!ms.isEmpty() && ms.get(ms.size() - 1).isApprovalRequest()) {
            ms.remove(ms.size() - 1);
            if (!ms.isEmpty()) {
                Message last = ms.get(ms.size() - 1);
                if (last.role() == Role.ASSISTANT && !last.toolCalls().isEmpty()) {
                    ms.remove(ms.size() - 1);
                }
            }
        }
        if (!ms.isEmpty()) {
            Message last = ms.get(ms.size() - 1);
            if (last.role() == Role.ASSISTANT && last.toolCalls().isEmpty() && !hasTextPart(last)) {
                ms.remove(ms.size() - 1);
            }
        }
        List<Message> merged = new ArrayList<>(ms.size());
        for (int i = 0; i < ms.size(); i++) {
            Message m = ms.get(i);
            if (m.role() == Role.ASSISTANT && !m.toolCalls().isEmpty() && i + 1 < ms.size() && ms.get(i + 1).isApprovalRequest()) {
                Message approval = ms.get(i + 1);
                List<ContentPart> content = new ArrayList<>(m.content());
                content.addAll(approval.content());
                List<ToolCall> calls = new ArrayList<>(m.toolCalls());
                calls.addAll(approval.toolCalls());
                merged.add(new Message(m.id(), m.seq(), m.role(), content, calls, m.toolCallId(), m.toolReturns(),
                        m.stepId(), m.name(), m.approve(), m.approvalRequestId(), m.denialReason(), m.createdAt(), m.tokens()));
                i++;
                continue;
            }
            merged.add(m);
        }
        Set<String> seenReturns = new HashSet<>();
        List<Message> deduped = new ArrayList<>(merged.size());
        for (Message m : merged) {
            if (m.role() == Role.TOOL && !m.toolReturns().isEmpty()) {
                List<ToolReturn> kept = new ArrayList<>();
                for (ToolReturn r : m.toolReturns()) {
                    if (r.toolCallId() == null || seenReturns.add(r.toolCallId())) {
                        kept.add(r);
                    }
                }
                if (kept.isEmpty()) {
                    continue;
                }
                if (kept.size() != m.toolReturns().size()) {
                    m = new Message(m.id(), m.seq(), m.role(), m.content(), m.toolCalls(), m.toolCallId(), kept, m.stepId(),
                            m.name(), m.approve(), m.approvalRequestId(), m.denialReason(), m.createdAt(), m.tokens());
                }
            } else if (m.toolCalls().size() > 1) {
                Set<String> ids = new HashSet<>();
                List<ToolCall> unique = new ArrayList<>();
                for (ToolCall c : m.toolCalls()) {
                    if (c.id() == null || ids.add(c.id())) {
                        unique.add(c);
                    }
                }
                if (unique.size() != m.toolCalls().size()) {
                    m = new Message(m.id(), m.seq(), m.role(), m.content(), unique, m.toolCallId(), m.toolReturns(),
                            m.stepId(), m.name(), m.approve(), m.approvalRequestId(), m.denialReason(), m.createdAt(), m.tokens());
                }
            }
            deduped.add(m);
        }
        return deduped;
    }

    /** Letta's {@code is_summarization_message}: a summary, or a legacy user turn holding a system alert. */
    static boolean isSummarization(Message m) {
        if (m.role() == Role.SUMMARY) {
            return true;
        }
        return m.role() == Role.USER && m.content().size() == 1
                && m.content().get(0) instanceof ContentPart.Text t && t.text().contains("system_alert");
    }

    private static boolean hasTextPart(Message m) {
        for (ContentPart p : m.content()) {
            if (p instanceof ContentPart.Text) {
                return true;
            }
        }
        return false;
    }

    private static List<ChatMessage> convert(Message m, Integer toolReturnLimit) {
        return switch (m.role()) {
            case SYSTEM -> List.of(ChatMessage.of("system", text(m.content())));
            case USER, SUMMARY -> List.of(ChatMessage.of("user", text(m.content())));
            case ASSISTANT, APPROVAL -> {
                if (m.role() == Role.APPROVAL && m.toolCalls().isEmpty()) {
                    yield List.of();
                }
                String text = text(m.content());
                if (text == null && m.toolCalls().isEmpty()) {
                    yield List.of();
                }
                List<ChatMessage.Call> calls = new ArrayList<>(m.toolCalls().size());
                for (ToolCall c : m.toolCalls()) {
                    calls.add(new ChatMessage.Call(truncateId(c.id()), c.name(), c.arguments()));
                }
                yield List.of(new ChatMessage("assistant", text, calls, null, null));
            }
            case TOOL -> {
                if (!m.toolReturns().isEmpty()) {
                    List<ChatMessage> out = new ArrayList<>(m.toolReturns().size());
                    for (ToolReturn r : m.toolReturns()) {
                        out.add(new ChatMessage("tool", clamp(responseText(r.funcResponse()), toolReturnLimit), List.of(),
                                truncateId(r.toolCallId()), r.status()));
                    }
                    yield out;
                }
                String text = text(m.content());
                String callId = m.toolCallId();
                String status = null;
                if (m.content().size() == 1 && m.content().get(0) instanceof ContentPart.ToolReturn tr) {
                    callId = callId != null ? callId : tr.toolCallId();
                    status = tr.isError() ? "error" : "success";
                }
                yield List.of(new ChatMessage("tool", clamp(text, toolReturnLimit), List.of(), truncateId(callId), status));
            }
        };
    }

    /** Letta's text extraction from content parts. */
    static String text(List<ContentPart> parts) {
        return Texts.joined(parts);
    }

    static String responseText(Object funcResponse) {
        return Texts.response(funcResponse);
    }

    /** Letta's tool-return truncation: first {@code limit} code points plus a marker of what was cut. */
    static String clamp(String text, Integer limit) {
        if (text == null || limit == null) {
            return text;
        }
        int length = CodePoints.count(text);
        return length <= limit ? text : CodePoints.prefix(text, limit) + "... [truncated " + (length - limit) + " chars]";
    }

    private static String truncateId(String id) {
        return id == null ? null : CodePoints.prefix(id, TOOL_CALL_ID_MAX);
    }

    static boolean sameStep(Message a, Message b) {
        return Objects.equals(a.stepId(), b.stepId());
    }
}
