package dev.compactor.conversation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.compactor.input.FieldError;
import dev.compactor.input.Fields;
import dev.compactor.support.Json;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** Converts messages to and from Letta's {@code Message} JSON field names. */
public final class MessageCodec {
    private static final List<String> ROLES = List.of("system", "user", "assistant", "tool", "approval", "summary");

    private MessageCodec() {}

    /** The message's content fields (everything but id, seq, created_at and tokens); empty lists and absent values left out. */
    public static Body body(Message m) {
        return new Body(m.role().wire(), m.content().isEmpty() ? null : m.content().stream().<Object>map(ContentPart::toJson).toList(),
                m.toolCalls().isEmpty() ? null : m.toolCalls().stream().map(MessageCodec::toolCallJson).toList(), m.toolCallId(),
                m.toolReturns().isEmpty() ? null : m.toolReturns().stream().map(ReturnJson::of).toList(), m.stepId(), m.name(),
                m.approve(), m.approvalRequestId(), m.denialReason());
    }

    /** A message's stored JSON: Letta's {@code Message} fields, in Letta's order. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Body(String role, List<Object> content, List<CallJson> toolCalls, String toolCallId, List<ReturnJson> toolReturns,
                       String stepId, String name, Boolean approve, String approvalRequestId, String denialReason) {}

    /** A tool call as OpenAI and Letta write it. */
    public record CallJson(String id, String type, Function function) {
        public record Function(String name, String arguments) {}
    }

    /** A tool's return; {@code func_response} is written even when null, the logs only when present. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ReturnJson(String toolCallId, String status, Object funcResponse,
                             @JsonInclude(JsonInclude.Include.NON_NULL) List<String> stdout,
                             @JsonInclude(JsonInclude.Include.NON_NULL) List<String> stderr) {
        static ReturnJson of(ToolReturn r) {
            return new ReturnJson(r.toolCallId(), r.status(), r.funcResponse(), r.stdout(), r.stderr());
        }
    }

    public static CallJson toolCallJson(ToolCall c) {
        return new CallJson(c.id(), "function", new CallJson.Function(c.name(), c.arguments()));
    }

    /**
     * Reads a message from Letta's JSON. Failures are recorded in {@code fields} with locations
     * under {@code loc}; the result is null when the message is unusable.
     */
    public static Message fromJson(JsonNode value, List<Object> loc, Fields fields) {
        return fromJson(value, loc, fields, ROLES);
    }

    /** As {@link #fromJson(JsonNode, List, Fields)}, accepting only the given roles (wire names). */
    public static Message fromJson(JsonNode value, List<Object> loc, Fields fields, List<String> roles) {
        ObjectNode json = fields.object(value, loc, "Message");
        if (json == null) {
            if (Fields.given(value) == null) {
                fields.fail(FieldError.of("model_type", loc, "Input should be an object", null));
            }
            return null;
        }
        int before = fields.errors().size();
        JsonNode rawRole = Fields.get(json, "role");
        Role role = null;
        if (rawRole == null) {
            fields.fail(FieldError.of("missing", Fields.loc(loc, "role"), "Field required", json));
        } else {
            String wire = fields.literal(rawRole, Fields.loc(loc, "role"), roles);
            role = Role.fromWire(wire);
        }
        List<ContentPart> content = content(Fields.get(json, "content"), Fields.loc(loc, "content"), fields);
        List<ToolCall> toolCalls = toolCalls(Fields.get(json, "tool_calls"), Fields.loc(loc, "tool_calls"), fields);
        String toolCallId = fields.string(Fields.get(json, "tool_call_id"), Fields.loc(loc, "tool_call_id"));
        List<ToolReturn> toolReturns = toolReturns(Fields.get(json, "tool_returns"), Fields.loc(loc, "tool_returns"), fields);
        String stepId = fields.string(Fields.get(json, "step_id"), Fields.loc(loc, "step_id"));
        String name = fields.string(Fields.get(json, "name"), Fields.loc(loc, "name"));
        Boolean approve = fields.bool(Fields.get(json, "approve"), Fields.loc(loc, "approve"));
        String approvalRequestId = fields.string(Fields.get(json, "approval_request_id"), Fields.loc(loc, "approval_request_id"));
        String denialReason = fields.string(Fields.get(json, "denial_reason"), Fields.loc(loc, "denial_reason"));
        Instant createdAt = instant(Fields.get(json, "created_at"), Fields.loc(loc, "created_at"), fields);
        if (fields.errors().size() > before) {
            return null;
        }
        return new Message(null, 0, role, content, toolCalls, toolCallId, toolReturns, stepId, name, approve,
                approvalRequestId, denialReason, createdAt, null);
    }

    static List<ContentPart> content(JsonNode value, List<Object> loc, Fields fields) {
        if (value == null) {
            return List.of();
        }
        if (value.isTextual()) {
            return List.of(new ContentPart.Text(value.textValue()));
        }
        if (!(value instanceof ArrayNode list)) {
            fields.fail(FieldError.of("list_type", loc, "Input should be a valid list or string", value));
            return List.of();
        }
        List<ContentPart> parts = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            List<Object> at = Fields.loc(loc, i);
            ObjectNode part = fields.object(list.get(i), at, "ContentPart");
            if (part == null) {
                continue;
            }
            ContentPart parsed = part(part, at, fields);
            if (parsed != null) {
                parts.add(parsed);
            }
        }
        return parts;
    }

    private static ContentPart part(ObjectNode json, List<Object> loc, Fields fields) {
        JsonNode type = Fields.get(json, "type");
        if (type == null || !type.isTextual()) {
            fields.fail(FieldError.of("union_tag_not_found", loc,
                    "Unable to extract tag using discriminator 'type'", json));
            return null;
        }
        String t = type.textValue();
        switch (t) {
            case "text" -> {
                String text = fields.string(Fields.get(json, "text"), Fields.loc(loc, "text"));
                if (text == null) {
                    fields.fail(FieldError.of("missing", Fields.loc(loc, "text"), "Field required", json));
                    return null;
                }
                return new ContentPart.Text(text);
            }
            case "image" -> {
                return new ContentPart.Image(Json.toMap(json));
            }
            case "tool_call" -> {
                return new ContentPart.ToolCall(fields.string(Fields.get(json, "id"), Fields.loc(loc, "id")),
                        fields.string(Fields.get(json, "name"), Fields.loc(loc, "name")), Json.toJava(Fields.get(json, "input")), Json.toMap(json));
            }
            case "tool_return" -> {
                JsonNode given = Fields.get(json, "content");
                String content = given == null ? null : given.isTextual() ? given.textValue() : Json.write(Json.toJava(given));
                Boolean isError = fields.bool(Fields.get(json, "is_error"), Fields.loc(loc, "is_error"));
                return new ContentPart.ToolReturn(fields.string(Fields.get(json, "tool_call_id"), Fields.loc(loc, "tool_call_id")),
                        content, Boolean.TRUE.equals(isError), Json.toMap(json));
            }
            default -> {
                return new ContentPart.Other(t, Json.toMap(json));
            }
        }
    }

    private static List<ToolCall> toolCalls(JsonNode value, List<Object> loc, Fields fields) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof ArrayNode list)) {
            fields.fail(FieldError.of("list_type", loc, "Input should be a valid list", value));
            return List.of();
        }
        List<ToolCall> calls = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            List<Object> at = Fields.loc(loc, i);
            ObjectNode call = fields.object(list.get(i), at, "ToolCall");
            if (call == null) {
                continue;
            }
            String id = fields.string(Fields.get(call, "id"), Fields.loc(at, "id"));
            ObjectNode fn = fields.object(Fields.get(call, "function"), Fields.loc(at, "function"), "Function");
            if (id == null) {
                fields.fail(FieldError.of("missing", Fields.loc(at, "id"), "Field required", call));
            }
            if (fn == null) {
                if (Fields.get(call, "function") == null) {
                    fields.fail(FieldError.of("missing", Fields.loc(at, "function"), "Field required", call));
                }
                continue;
            }
            String name = fields.string(Fields.get(fn, "name"), Fields.loc(Fields.loc(at, "function"), "name"));
            JsonNode args = Fields.get(fn, "arguments");
            String arguments = args == null ? "" : args.isTextual() ? args.textValue() : Json.write(Json.toJava(args));
            if (name == null) {
                fields.fail(FieldError.of("missing", Fields.loc(Fields.loc(at, "function"), "name"), "Field required", fn));
                continue;
            }
            calls.add(new ToolCall(id, name, arguments));
        }
        return calls;
    }

    private static List<ToolReturn> toolReturns(JsonNode value, List<Object> loc, Fields fields) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof ArrayNode list)) {
            fields.fail(FieldError.of("list_type", loc, "Input should be a valid list", value));
            return List.of();
        }
        List<ToolReturn> returns = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            List<Object> at = Fields.loc(loc, i);
            ObjectNode r = fields.object(list.get(i), at, "ToolReturn");
            if (r == null) {
                continue;
            }
            String id = fields.string(Fields.get(r, "tool_call_id"), Fields.loc(at, "tool_call_id"));
            String status = fields.literal(Fields.get(r, "status"), Fields.loc(at, "status"), List.of("success", "error"));
            JsonNode response = Fields.get(r, "func_response");
            if (response != null && !response.isTextual() && !response.isArray()) {
                fields.fail(FieldError.of("string_type", Fields.loc(at, "func_response"),
                        "Input should be a valid string or a list of content parts", response));
            }
            returns.add(new ToolReturn(id, status == null ? "success" : status, Json.toJava(response),
                    stringList(r.get("stdout")), stringList(r.get("stderr"))));
        }
        return returns;
    }

    /** Tool output lines, taken as sent (each as text): they are only listed back, never rendered for a model. */
    private static List<String> stringList(JsonNode value) {
        if (!(value instanceof ArrayNode list)) {
            return null;
        }
        List<String> out = new ArrayList<>(list.size());
        for (JsonNode line : list) {
            out.add(String.valueOf(Json.toJava(line)));
        }
        return out;
    }

    private static Instant instant(JsonNode value, List<Object> loc, Fields fields) {
        if (value == null) {
            return null;
        }
        if (value.isTextual()) {
            String s = value.textValue();
            try {
                return java.time.OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException e) {
                try {
                    return java.time.LocalDateTime.parse(s).toInstant(java.time.ZoneOffset.UTC);
                } catch (DateTimeParseException e2) {
                    fields.fail(FieldError.of("datetime_from_date_parsing", loc,
                            "Input should be a valid datetime", value));
                    return null;
                }
            }
        }
        fields.fail(FieldError.of("datetime_type", loc, "Input should be a valid datetime", value));
        return null;
    }
}
