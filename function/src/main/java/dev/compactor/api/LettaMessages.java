package dev.compactor.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.compactor.conversation.ContentPart;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.Role;
import dev.compactor.conversation.ToolCall;
import dev.compactor.conversation.ToolReturn;
import dev.compactor.input.Fields;
import dev.compactor.support.Json;
import dev.compactor.support.JsonMapper;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Stored messages as Letta's {@code LettaMessage} union (discriminated by {@code message_type}),
 * the way Letta's conversation message list renders them: an assistant's text is an
 * {@code assistant_message}, its reasoning a {@code reasoning_message} or
 * {@code hidden_reasoning_message}, its tool calls one {@code tool_call_message}; an approval
 * request is an {@code approval_request_message}, a decision an
 * {@code approval_response_message}; tool results a {@code tool_return_message}. A summary is a {@code user_message} whose content is the packed
 * {@code system_alert} text, as both of Letta's list routes render it ({@code convert_summary_to_user}),
 * and as Letta's CLI recognises a compaction in history. One stored message can yield several
 * entries sharing its id.
 *
 * <p>Fields Letta writes as null (ids of runs and senders this service does not have) are written
 * as null, in Letta's order: the common fields first, then the kind's own.
 */
final class LettaMessages {
    /** Python's {@code isoformat(timespec="seconds")} of a UTC datetime, as Letta serialises {@code date}. */
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx").withZone(ZoneOffset.UTC);

    /** Letta's {@code source} of reasoning a model produced. */
    private static final String REASONER = "reasoner_model";

    private LettaMessages() {}

    /** Letta's {@code MessageType}: every kind an entry can be, in Letta's order. */
    static final List<String> MESSAGE_TYPES = List.of("system_message", "user_message", "assistant_message", "reasoning_message",
            "hidden_reasoning_message", "tool_call_message", "tool_return_message", "approval_request_message",
            "approval_response_message", "summary_message", "event_message");

    /** One entry of the list. */
    sealed interface LettaMessage {
        Common common();
    }

    /** The entry's {@code message_type}. */
    static String type(LettaMessage entry) {
        return entry.common().messageType();
    }

    /** The fields every kind starts with. */
    @JsonPropertyOrder({"id", "date", "name", "message_type", "otid", "sender_id", "step_id", "run_id", "seq_id"})
    record Common(String id, String date, String name, @JsonProperty("message_type") String messageType, String otid,
                  @JsonProperty("sender_id") String senderId, @JsonProperty("step_id") String stepId,
                  @JsonProperty("run_id") String runId, @JsonProperty("seq_id") Long seqId) {

        static Common of(Message m, String type) {
            return new Common(m.id(), DATE.format(m.createdAt()), m.name(), type, null, null, m.stepId(), null, null);
        }
    }

    /** @param content a plain string, or (a user message with more than one text part) the parts as stored */
    record ContentMessage(@JsonUnwrapped Common common, Object content) implements LettaMessage {}

    @JsonPropertyOrder({"common", "source", "reasoning", "signature"})
    record Reasoning(@JsonUnwrapped Common common, String source, String reasoning, Object signature) implements LettaMessage {}

    @JsonPropertyOrder({"common", "state", "hidden_reasoning"})
    record HiddenReasoning(@JsonUnwrapped Common common, String state, @JsonProperty("hidden_reasoning") Object hiddenReasoning)
            implements LettaMessage {}

    @JsonPropertyOrder({"common", "tool_call", "tool_calls"})
    record ToolCalls(@JsonUnwrapped Common common, @JsonProperty("tool_call") Call toolCall,
                     @JsonProperty("tool_calls") List<Call> toolCalls) implements LettaMessage {}

    @JsonPropertyOrder({"name", "arguments", "tool_call_id"})
    record Call(String name, String arguments, @JsonProperty("tool_call_id") String toolCallId) {}

    @JsonPropertyOrder({"common", "approve", "approval_request_id", "reason", "approvals"})
    record ApprovalResponse(@JsonUnwrapped Common common, Boolean approve, @JsonProperty("approval_request_id") String approvalRequestId,
                            String reason, List<Approval> approvals) implements LettaMessage {}

    @JsonPropertyOrder({"type", "tool_call_id", "approve", "reason"})
    record Approval(String type, @JsonProperty("tool_call_id") String toolCallId, Boolean approve, String reason) {}

    @JsonPropertyOrder({"common", "tool_return", "status", "tool_call_id", "stdout", "stderr", "tool_returns"})
    record ToolReturnMessage(@JsonUnwrapped Common common, @JsonProperty("tool_return") String toolReturn, String status,
                             @JsonProperty("tool_call_id") String toolCallId, List<String> stdout, List<String> stderr,
                             @JsonProperty("tool_returns") List<Return> toolReturns) implements LettaMessage {}

    /** @param toolReturn the tool's output: text, or multi-modal parts as the client sent them */
    @JsonPropertyOrder({"type", "tool_return", "status", "tool_call_id", "stdout", "stderr"})
    record Return(String type, @JsonProperty("tool_return") Object toolReturn, String status,
                  @JsonProperty("tool_call_id") String toolCallId, List<String> stdout, List<String> stderr) {}

    static List<LettaMessage> render(Message m) {
        List<LettaMessage> out = new ArrayList<>(2);
        switch (m.role()) {
            case SYSTEM -> out.add(new ContentMessage(Common.of(m, "system_message"), text(m)));
            case USER -> out.add(new ContentMessage(Common.of(m, "user_message"), userContent(m)));
            case TOOL -> out.add(toolReturn(m));
            case SUMMARY -> out.add(new ContentMessage(Common.of(m, "user_message"), text(m)));
            case ASSISTANT, APPROVAL -> {
                out.addAll(contentParts(m));
                if (!m.toolCalls().isEmpty()) {
                    List<Call> calls = m.toolCalls().stream().map(LettaMessages::toolCall).toList();
                    out.add(new ToolCalls(Common.of(m, m.role() == Role.APPROVAL ? "approval_request_message" : "tool_call_message"),
                            calls.get(0), calls));
                } else if (m.role() == Role.APPROVAL) {
                    out.add(approvalResponse(m));
                }
            }
        }
        return out;
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
    private static List<LettaMessage> contentParts(Message m) {
        List<LettaMessage> out = new ArrayList<>();
        for (ContentPart p : m.content()) {
            LettaMessage last = out.isEmpty() ? null : out.get(out.size() - 1);
            switch (p) {
                case ContentPart.Text t -> {
                    if (last instanceof ContentMessage assistant) {
                        out.set(out.size() - 1, new ContentMessage(assistant.common(), assistant.content() + t.text()));
                    } else {
                        out.add(new ContentMessage(Common.of(m, "assistant_message"), t.text()));
                    }
                }
                case ContentPart.Other o when o.type().equals("reasoning") -> {
                    String reasoning = String.valueOf(o.json().getOrDefault("reasoning", ""));
                    if (last instanceof Reasoning r) {
                        out.set(out.size() - 1, new Reasoning(r.common(), r.source(), r.reasoning() + reasoning, r.signature()));
                    } else {
                        out.add(new Reasoning(Common.of(m, "reasoning_message"), REASONER, reasoning, o.json().get("signature")));
                    }
                }
                case ContentPart.Other o when o.type().equals("summarized_reasoning") ->
                        out.add(new Reasoning(Common.of(m, "reasoning_message"), REASONER, summarizedReasoning(o), null));
                case ContentPart.Other o when o.type().equals("redacted_reasoning") ->
                        out.add(new HiddenReasoning(Common.of(m, "hidden_reasoning_message"), "redacted", o.json().get("data")));
                case ContentPart.Other o when o.type().equals("omitted_reasoning") ->
                        out.add(new HiddenReasoning(Common.of(m, "hidden_reasoning_message"), "omitted", null));
                default -> {
                    // Tool call parts repeat tool_calls; images and unknown parts have no LettaMessage form.
                }
            }
        }
        return out;
    }

    /**
     * Summarized reasoning: its parts' texts, a blank line apart. Read off the tree, leniently: the
     * part was stored as sent, unvalidated, and a malformed one still lists.
     */
    private static String summarizedReasoning(ContentPart.Other part) {
        StringBuilder text = new StringBuilder();
        JsonNode summary = JsonMapper.MAPPER.valueToTree(part.json()).path("summary");
        if (summary.isArray()) {
            for (JsonNode item : summary) {
                JsonNode itemText = Fields.given(item.path("text"));
                if (itemText != null) {
                    text.append(text.isEmpty() ? "" : "\n\n").append(Json.toJava(itemText));
                }
            }
        }
        return text.toString();
    }

    private static Call toolCall(ToolCall c) {
        return new Call(c.name(), c.arguments(), c.id());
    }

    private static ApprovalResponse approvalResponse(Message m) {
        return new ApprovalResponse(Common.of(m, "approval_response_message"), m.approve(), m.approvalRequestId(), m.denialReason(),
                List.of(new Approval("approval", m.approvalRequestId(), m.approve(), m.denialReason())));
    }

    /** Explicit {@code tool_returns}, else the legacy form: text content answering {@code tool_call_id}. */
    private static ToolReturnMessage toolReturn(Message m) {
        List<Return> returns = new ArrayList<>();
        if (m.toolReturns().isEmpty()) {
            returns.add(new Return("tool", unpacked(text(m)), "success", m.toolCallId(), null, null));
        }
        for (ToolReturn r : m.toolReturns()) {
            Object value = r.funcResponse() instanceof String s ? unpacked(s) : r.funcResponse() == null ? "" : r.funcResponse();
            String id = r.toolCallId() == null && m.toolReturns().size() == 1 ? m.toolCallId() : r.toolCallId();
            returns.add(new Return("tool", value, r.status(), id, r.stdout(), r.stderr()));
        }
        Return first = returns.get(0);
        return new ToolReturnMessage(Common.of(m, "tool_return_message"),
                first.toolReturn() instanceof String s ? s : partsText(first.toolReturn()), first.status(), first.toolCallId(),
                first.stdout(), first.stderr(), returns);
    }

    /** Letta packs tool output as {@code {"status": …, "message": …}}; its list shows the message. */
    private static String unpacked(String response) {
        if (!response.startsWith("{")) {
            return response;
        }
        Object parsed = freeForm(response);
        if (!(parsed instanceof Map<?, ?> packed)) {
            return response;
        }
        Object message = packed.get("message");
        return message == null ? response : message instanceof String s ? s : ApiResponse.write(message);
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

    /**
     * Text that may be JSON of any shape (tool output), as plain values so it is
     * written back as it was read; null when it is not JSON.
     */
    private static Object freeForm(String text) {
        try {
            return JsonMapper.MAPPER.readValue(text, Object.class);
        } catch (JacksonException e) {
            return null;
        }
    }
}
