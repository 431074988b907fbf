package dev.compactor.local.eval;

import dev.compactor.conversation.ContentPart;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.Role;
import dev.compactor.conversation.ToolCall;
import dev.compactor.conversation.ToolReturn;
import dev.compactor.support.Json;
import dev.compactor.support.JsonSyntaxException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One conversation of an evaluation set: a line of a JSONL file (see the README's "Evaluating
 * summarizers" for the format).
 *
 * @param domain free text grouping conversations in the report (coding, support, sre, …)
 * @param messages the in-context messages, system first
 * @param current strings a faithful summary must state as current (the latest state of a decision)
 * @param superseded strings a summary must not state as current (a corrected figure, a cancelled plan)
 */
public record EvalConversation(String id, String domain, List<Message> messages, List<String> current, List<String> superseded) {
    private static final Set<String> FIELDS = Set.of("id", "domain", "messages", "expect");
    private static final Set<String> MESSAGE_FIELDS = Set.of("role", "content", "tool_calls", "tool_call_id", "status");

    public EvalConversation {
        messages = List.copyOf(messages);
        current = List.copyOf(current);
        superseded = List.copyOf(superseded);
    }

    /** A malformed data file: names the line and what is wrong with it. */
    public static final class DataException extends RuntimeException {
        DataException(String message) {
            super(message);
        }
    }

    public static List<EvalConversation> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        List<EvalConversation> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                out.add(parse(lines.get(i), file.getFileName() + ":" + (i + 1)));
            }
        }
        if (out.isEmpty()) {
            throw new DataException(file + ": no conversations");
        }
        return out;
    }

    static EvalConversation parse(String line, String where) {
        Map<String, Object> json;
        try {
            json = Json.parseObject(line);
        } catch (JsonSyntaxException | ClassCastException | IllegalArgumentException e) {
            throw new DataException(where + ": not a JSON object: " + e.getMessage());
        }
        unknown(json.keySet(), FIELDS, where);
        String id = string(json, "id", where, true);
        String domain = string(json, "domain", where, false);
        List<Message> messages = new ArrayList<>();
        for (Object m : list(json.get("messages"), where + ": messages")) {
            if (!(m instanceof Map<?, ?> map)) {
                throw new DataException(where + ": messages[" + messages.size() + "] must be an object");
            }
            messages.add(message(cast(map), messages.size(), where + ": messages[" + messages.size() + "]"));
        }
        if (messages.size() < 3 || messages.get(0).role() != Role.SYSTEM) {
            throw new DataException(where + ": messages must start with a system message and hold at least 3");
        }
        List<String> current = List.of();
        List<String> superseded = List.of();
        if (json.get("expect") != null) {
            if (!(json.get("expect") instanceof Map<?, ?> expect)) {
                throw new DataException(where + ": expect must be an object");
            }
            Map<String, Object> e = cast(expect);
            unknown(e.keySet(), Set.of("current", "superseded"), where + ": expect");
            current = strings(e.get("current"), where + ": expect.current");
            superseded = strings(e.get("superseded"), where + ": expect.superseded");
        }
        return new EvalConversation(id, domain == null ? "" : domain, messages, current, superseded);
    }

    private static Message message(Map<String, Object> m, int seq, String where) {
        unknown(m.keySet(), MESSAGE_FIELDS, where);
        String roleName = string(m, "role", where, true);
        Role role = switch (roleName) {
            case "system" -> Role.SYSTEM;
            case "user" -> Role.USER;
            case "assistant" -> Role.ASSISTANT;
            case "tool" -> Role.TOOL;
            default -> throw new DataException(where + ": role must be system, user, assistant or tool, got '" + roleName + "'");
        };
        String content = string(m, "content", where, false);
        List<ToolCall> calls = new ArrayList<>();
        if (m.get("tool_calls") != null) {
            if (role != Role.ASSISTANT) {
                throw new DataException(where + ": only assistant messages have tool_calls");
            }
            for (Object c : list(m.get("tool_calls"), where + ": tool_calls")) {
                if (!(c instanceof Map<?, ?> call)) {
                    throw new DataException(where + ": tool_calls entries must be objects");
                }
                Map<String, Object> cm = cast(call);
                calls.add(new ToolCall(string(cm, "id", where + ": tool_calls", true), string(cm, "name", where + ": tool_calls", true),
                        string(cm, "arguments", where + ": tool_calls", false) == null ? "{}" : (String) cm.get("arguments")));
            }
        }
        String id = String.format(Locale.ROOT, "message-%08x-0000-4000-8000-%012x", seq, (long) seq);
        if (role == Role.TOOL) {
            String callId = string(m, "tool_call_id", where, true);
            String status = string(m, "status", where, false);
            if (status != null && !status.equals("success") && !status.equals("error")) {
                throw new DataException(where + ": status must be success or error");
            }
            ToolReturn ret = new ToolReturn(callId, status == null ? "success" : status, content == null ? "" : content, null, null);
            return new Message(id, seq, role, List.of(), List.of(), callId, List.of(ret), null, null, null, null, null, null, null);
        }
        List<ContentPart> parts = content == null ? List.of() : List.of(new ContentPart.Text(content));
        return new Message(id, seq, role, parts, calls, null, List.of(), null, null, null, null, null, null, null);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    private static void unknown(Set<String> keys, Set<String> known, String where) {
        for (String k : keys) {
            if (!known.contains(k)) {
                throw new DataException(where + ": unknown field '" + k + "' (known: " + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    private static String string(Map<String, Object> json, String field, String where, boolean required) {
        Object v = json.get(field);
        if (v == null) {
            if (required) {
                throw new DataException(where + ": " + field + " is required");
            }
            return null;
        }
        if (!(v instanceof String s)) {
            throw new DataException(where + ": " + field + " must be a string");
        }
        return s;
    }

    private static List<?> list(Object v, String where) {
        if (!(v instanceof List<?> l)) {
            throw new DataException(where + " must be an array");
        }
        return l;
    }

    private static List<String> strings(Object v, String where) {
        if (v == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (Object o : list(v, where)) {
            if (!(o instanceof String s) || s.isBlank()) {
                throw new DataException(where + " must hold non-empty strings");
            }
            out.add(s);
        }
        return out;
    }
}
