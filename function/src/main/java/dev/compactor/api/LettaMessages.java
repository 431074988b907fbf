package dev.compactor.api;

import dev.compactor.conversation.ContentPart;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.Role;
import dev.compactor.conversation.ToolCall;
import dev.compactor.conversation.ToolReturn;
import dev.compactor.support.Json;
import dev.compactor.support.JsonSyntaxException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stored messages as Letta's {@code LettaMessage} union (discriminated by {@code message_type}),
 * the way Letta's conversation message list renders them: an assistant's text is an
 * {@code assistant_message}, its reasoning a {@code reasoning_message} or
 * {@code hidden_reasoning_message}, its tool calls one {@code tool_call_message}; an approval
 * request is an {@code approval_request_message}, a decision an
 * {@code approval_response_message}; tool results a {@code tool_return_message}; summaries a
 * {@code summary_message}. One stored message can yield several entries sharing its id.
 */
final class LettaMessages {
    /** Python's {@code isoformat(timespec="seconds")} of a UTC datetime, as Letta serialises {@code date}. */
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx").withZone(ZoneOffset.UTC);

    private LettaMessages() {}

    static List<Map<String, Object>> render(Message m) {
        List<Map<String, Object>> out = new ArrayList<>(2);
        switch (m.role()) {
            case SYSTEM -> out.add(entry(m, "system_message", "content", text(m)));
            case USER -> out.add(entry(m, "user_message", "content", userContent(m)));
            case TOOL -> out.add(toolReturn(m));
            case SUMMARY -> out.add(summary(m));
            case ASSISTANT, APPROVAL -> {
                out.addAll(contentParts(m));
                if (!m.toolCalls().isEmpty()) {
                    List<Object> calls = m.toolCalls().stream().map(LettaMessages::toolCall).map(c -> (Object) c).toList();
                    Map<String, Object> e = entry(m, m.role() == Role.APPROVAL ? "approval_request_message" : "tool_call_message",
                            "tool_call", calls.get(0));
                    e.put("tool_calls", calls);
                    out.add(e);
                } else if (m.role() == Role.APPROVAL) {
                    out.add(approvalResponse(m));
                }
            }
        }
        return out;
    }

    private static Map<String, Object> entry(Message m, String type, String field, Object value) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("id", m.id());
        e.put("date", DATE.format(m.createdAt()));
        e.put("name", m.name());
        e.put("message_type", type);
        e.put("otid", null);
        e.put("sender_id", null);
        e.put("step_id", m.stepId());
        e.put("run_id", null);
        e.put("seq_id", null);
        e.put(field, value);
        return e;
    }

    private static String text(Message m) {
        StringBuilder text = new StringBuilder();
        for (ContentPart p : m.content()) {
            if (p instanceof ContentPart.Text t) {
                text.append(t.text());
            }
        }
        return text.toString();
    }

    /** A single text part is a plain string; anything else is the list of parts. */
    private static Object userContent(Message m) {
        if (m.content().size() == 1 && m.content().get(0) instanceof ContentPart.Text t) {
            return t.text();
        }
        return m.content().stream().map(ContentPart::toJson).toList();
    }

    /** Assistant and approval content: text, reasoning and hidden reasoning, consecutive parts of one kind merged. */
    private static List<Map<String, Object>> contentParts(Message m) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ContentPart p : m.content()) {
            Map<String, Object> last = out.isEmpty() ? null : out.get(out.size() - 1);
            switch (p) {
                case ContentPart.Text t -> {
                    if (last != null && "assistant_message".equals(last.get("message_type"))) {
                        last.put("content", last.get("content") + t.text());
                    } else {
                        out.add(entry(m, "assistant_message", "content", t.text()));
                    }
                }
                case ContentPart.Other o when o.type().equals("reasoning") -> {
                    String reasoning = String.valueOf(o.json().getOrDefault("reasoning", ""));
                    if (last != null && "reasoning_message".equals(last.get("message_type"))) {
                        last.put("reasoning", last.get("reasoning") + reasoning);
                    } else {
                        out.add(reasoning(m, reasoning, o.json().get("signature")));
                    }
                }
                case ContentPart.Other o when o.type().equals("summarized_reasoning") ->
                        out.add(reasoning(m, summarizedReasoning(o.json()), null));
                case ContentPart.Other o when o.type().equals("redacted_reasoning") -> {
                    Map<String, Object> e = entry(m, "hidden_reasoning_message", "state", "redacted");
                    e.put("hidden_reasoning", o.json().get("data"));
                    out.add(e);
                }
                case ContentPart.Other o when o.type().equals("omitted_reasoning") -> {
                    Map<String, Object> e = entry(m, "hidden_reasoning_message", "state", "omitted");
                    e.put("hidden_reasoning", null);
                    out.add(e);
                }
                default -> {
                    // Tool call parts repeat tool_calls; images and unknown parts have no LettaMessage form.
                }
            }
        }
        return out;
    }

    private static Map<String, Object> reasoning(Message m, String reasoning, Object signature) {
        Map<String, Object> e = entry(m, "reasoning_message", "source", "reasoner_model");
        e.put("reasoning", reasoning);
        e.put("signature", signature);
        return e;
    }

    private static String summarizedReasoning(Map<String, Object> json) {
        StringBuilder text = new StringBuilder();
        if (json.get("summary") instanceof List<?> parts) {
            for (Object part : parts) {
                if (part instanceof Map<?, ?> p && p.get("text") != null) {
                    text.append(text.isEmpty() ? "" : "\n\n").append(p.get("text"));
                }
            }
        }
        return text.toString();
    }

    private static Map<String, Object> toolCall(ToolCall c) {
        Map<String, Object> call = new LinkedHashMap<>();
        call.put("name", c.name());
        call.put("arguments", c.arguments());
        call.put("tool_call_id", c.id());
        return call;
    }

    private static Map<String, Object> approvalResponse(Message m) {
        Map<String, Object> e = entry(m, "approval_response_message", "approve", m.approve());
        e.put("approval_request_id", m.approvalRequestId());
        e.put("reason", m.denialReason());
        Map<String, Object> approval = new LinkedHashMap<>();
        approval.put("type", "approval");
        approval.put("tool_call_id", m.approvalRequestId());
        approval.put("approve", m.approve());
        approval.put("reason", m.denialReason());
        e.put("approvals", List.of(approval));
        return e;
    }

    /** Explicit {@code tool_returns}, else the legacy form: text content answering {@code tool_call_id}. */
    private static Map<String, Object> toolReturn(Message m) {
        List<Map<String, Object>> returns = new ArrayList<>();
        if (m.toolReturns().isEmpty()) {
            returns.add(toolReturn(unpacked(text(m)), "success", m.toolCallId(), null, null));
        }
        for (ToolReturn r : m.toolReturns()) {
            Object value = r.funcResponse() instanceof String s ? unpacked(s) : r.funcResponse() == null ? "" : r.funcResponse();
            String id = r.toolCallId() == null && m.toolReturns().size() == 1 ? m.toolCallId() : r.toolCallId();
            returns.add(toolReturn(value, r.status(), id, r.stdout(), r.stderr()));
        }
        Map<String, Object> first = returns.get(0);
        Object firstValue = first.get("tool_return");
        Map<String, Object> e = entry(m, "tool_return_message", "tool_return",
                firstValue instanceof String s ? s : partsText(firstValue));
        e.put("status", first.get("status"));
        e.put("tool_call_id", first.get("tool_call_id"));
        e.put("stdout", first.get("stdout"));
        e.put("stderr", first.get("stderr"));
        e.put("tool_returns", returns);
        return e;
    }

    private static Map<String, Object> toolReturn(Object value, String status, String toolCallId, List<String> stdout,
                                                  List<String> stderr) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("type", "tool");
        r.put("tool_return", value);
        r.put("status", status);
        r.put("tool_call_id", toolCallId);
        r.put("stdout", stdout);
        r.put("stderr", stderr);
        return r;
    }

    /** Letta packs tool output as {@code {"status": …, "message": …}}; its list shows the message. */
    private static String unpacked(String response) {
        if (!response.startsWith("{")) {
            return response;
        }
        try {
            Object message = Json.parseObject(response).get("message");
            return message == null ? response : message instanceof String s ? s : Json.write(message);
        } catch (JsonSyntaxException e) {
            return response;
        }
    }

    /** The text of multi-modal tool output, for the single-string field. */
    private static String partsText(Object parts) {
        StringBuilder text = new StringBuilder();
        if (parts instanceof List<?> list) {
            for (Object part : list) {
                if (part instanceof Map<?, ?> p && "text".equals(p.get("type"))) {
                    text.append(text.isEmpty() ? "" : "\n").append(p.get("text"));
                }
            }
        }
        return text.toString();
    }

    /** The stored (packed) summary text, and the compaction stats it carries when there are any. */
    private static Map<String, Object> summary(Message m) {
        String packed = text(m);
        Map<String, Object> e = entry(m, "summary_message", "summary", packed);
        Object stats = null;
        try {
            stats = Json.parseObject(packed).get("compaction_stats");
        } catch (JsonSyntaxException e2) {
            // A summary that is not packed JSON has no stats.
        }
        e.put("compaction_stats", stats);
        return e;
    }
}
