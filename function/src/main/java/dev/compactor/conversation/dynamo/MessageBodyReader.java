package dev.compactor.conversation.dynamo;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.compactor.conversation.ContentPart;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.MessageCodec;
import dev.compactor.conversation.Role;
import dev.compactor.conversation.ToolCall;
import dev.compactor.conversation.ToolReturn;
import dev.compactor.support.Json;
import dev.compactor.support.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a stored message body — the JSON {@link MessageCodec#body} wrote — in one pass over the
 * parser's tokens, straight into the message's fields. A context read or a compaction reads
 * thousands of them, and they were validated when appended: going through plain maps and the
 * request validator again cost more than the DynamoDB Query that fetched them. Anything but that
 * shape means the item is corrupt.
 */
final class MessageBodyReader {
    /** Reads a value inside the body: the mapper's own reader would call the rest of the body trailing content. */
    private static final ObjectReader NESTED = JsonMapper.MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private MessageBodyReader() {}

    /** The body's message, without the id, sequence number, creation time and token estimate the item holds beside it. */
    static Message read(String body) {
        try (JsonParser parser = JsonMapper.MAPPER.createParser(body)) {
            expect(parser.nextToken(), JsonToken.START_OBJECT);
            Role role = null;
            List<ContentPart> content = List.of();
            List<ToolCall> toolCalls = List.of();
            List<ToolReturn> toolReturns = List.of();
            String toolCallId = null;
            String stepId = null;
            String name = null;
            Boolean approve = null;
            String approvalRequestId = null;
            String denialReason = null;
            for (String field = parser.nextFieldName(); field != null; field = parser.nextFieldName()) {
                JsonToken token = parser.nextToken();
                switch (field) {
                    case "role" -> role = role(string(parser, token));
                    case "content" -> content = content(parser, token);
                    case "tool_calls" -> toolCalls = toolCalls(parser, token);
                    case "tool_call_id" -> toolCallId = string(parser, token);
                    case "tool_returns" -> toolReturns = toolReturns(parser, token);
                    case "step_id" -> stepId = string(parser, token);
                    case "name" -> name = string(parser, token);
                    case "approve" -> approve = bool(token);
                    case "approval_request_id" -> approvalRequestId = string(parser, token);
                    case "denial_reason" -> denialReason = string(parser, token);
                    default -> parser.skipChildren();
                }
            }
            if (role == null) {
                throw new IllegalStateException("a stored message has no role");
            }
            return new Message(null, 0, role, content, toolCalls, toolCallId, toolReturns, stepId, name, approve, approvalRequestId,
                    denialReason, null, null);
        } catch (JacksonException e) {
            throw new IllegalStateException("a stored message body is not JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Role role(String wire) {
        Role role = Role.fromWire(wire);
        if (role == null) {
            throw new IllegalStateException("a stored message has the unknown role " + wire);
        }
        return role;
    }

    /** Parts as {@code ContentPart.toJson} wrote them: free-form objects told apart by {@code type}. */
    private static List<ContentPart> content(JsonParser parser, JsonToken token) throws IOException {
        expect(token, JsonToken.START_ARRAY);
        List<ContentPart> parts = new ArrayList<>();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
            expect(t, JsonToken.START_OBJECT);
            // A repeated key keeps its first place and its last value, as Jackson's tree keeps it.
            Map<String, Object> json = new LinkedHashMap<>();
            for (String field = parser.nextFieldName(); field != null; field = parser.nextFieldName()) {
                json.put(field, value(parser, parser.nextToken()));
            }
            parts.add(part(json));
        }
        return parts;
    }

    /** A free-form value as plain values ({@link Json#toJava}); strings, the common case, without a tree. */
    private static Object value(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_STRING -> parser.getText();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> Json.toJava(NESTED.readTree(parser));
        };
    }

    private static ContentPart part(Map<String, Object> json) {
        if (!(json.get("type") instanceof String type)) {
            throw new IllegalStateException("a stored content part has no type");
        }
        return switch (type) {
            case "text" -> new ContentPart.Text(text(json, "text"));
            case "image" -> new ContentPart.Image(json);
            case "tool_call" -> new ContentPart.ToolCall(text(json, "id"), text(json, "name"), json.get("input"), json);
            case "tool_return" -> {
                Object raw = json.get("content");
                yield new ContentPart.ToolReturn(text(json, "tool_call_id"), raw == null || raw instanceof String ? (String) raw : Json.write(raw),
                        Boolean.TRUE.equals(json.get("is_error")), json);
            }
            default -> new ContentPart.Other(type, json);
        };
    }

    private static String text(Map<String, Object> json, String field) {
        Object value = json.get(field);
        if (value != null && !(value instanceof String)) {
            throw new IllegalStateException("a stored content part's " + field + " is not a string");
        }
        return (String) value;
    }

    private static List<ToolCall> toolCalls(JsonParser parser, JsonToken token) throws IOException {
        expect(token, JsonToken.START_ARRAY);
        List<ToolCall> calls = new ArrayList<>();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
            expect(t, JsonToken.START_OBJECT);
            String id = null;
            String name = null;
            String arguments = "";
            for (String field = parser.nextFieldName(); field != null; field = parser.nextFieldName()) {
                JsonToken value = parser.nextToken();
                if (field.equals("id")) {
                    id = string(parser, value);
                } else if (field.equals("function")) {
                    expect(value, JsonToken.START_OBJECT);
                    for (String f = parser.nextFieldName(); f != null; f = parser.nextFieldName()) {
                        JsonToken v = parser.nextToken();
                        if (f.equals("name")) {
                            name = string(parser, v);
                        } else if (f.equals("arguments")) {
                            arguments = v == JsonToken.VALUE_STRING ? parser.getText() : v == JsonToken.VALUE_NULL ? "" : Json.write(value(parser, v));
                        } else {
                            parser.skipChildren();
                        }
                    }
                } else {
                    parser.skipChildren();
                }
            }
            if (id == null || name == null) {
                throw new IllegalStateException("a stored tool call has no id or no name");
            }
            calls.add(new ToolCall(id, name, arguments));
        }
        return calls;
    }

    private static List<ToolReturn> toolReturns(JsonParser parser, JsonToken token) throws IOException {
        expect(token, JsonToken.START_ARRAY);
        List<ToolReturn> returns = new ArrayList<>();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
            expect(t, JsonToken.START_OBJECT);
            String toolCallId = null;
            String status = null;
            Object response = null;
            List<String> stdout = null;
            List<String> stderr = null;
            for (String field = parser.nextFieldName(); field != null; field = parser.nextFieldName()) {
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "tool_call_id" -> toolCallId = string(parser, value);
                    case "status" -> status = string(parser, value);
                    case "func_response" -> response = value(parser, value);
                    case "stdout" -> stdout = lines(parser, value);
                    case "stderr" -> stderr = lines(parser, value);
                    default -> parser.skipChildren();
                }
            }
            returns.add(new ToolReturn(toolCallId, status == null ? "success" : status, response, stdout, stderr));
        }
        return returns;
    }

    /** A list of strings, or null. */
    private static List<String> lines(JsonParser parser, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(token, JsonToken.START_ARRAY);
        List<String> lines = new ArrayList<>();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
            lines.add(String.valueOf(value(parser, t)));
        }
        return lines;
    }

    private static Boolean bool(JsonToken token) {
        return switch (token) {
            case VALUE_NULL -> null;
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            default -> throw new IllegalStateException("a stored message's approve is " + token);
        };
    }

    private static String string(JsonParser parser, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(token, JsonToken.VALUE_STRING);
        return parser.getText();
    }

    private static void expect(JsonToken token, JsonToken expected) {
        if (token != expected) {
            throw new IllegalStateException("a stored message body has " + token + " where " + expected + " belongs");
        }
    }
}
