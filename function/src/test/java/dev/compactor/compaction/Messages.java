package dev.compactor.compaction;

import dev.compactor.conversation.ContentPart;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.Role;
import dev.compactor.conversation.ToolCall;
import dev.compactor.conversation.ToolReturn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Builds test conversations; every message gets the next sequence number and an id. */
final class Messages {
    private final List<Message> list = new ArrayList<>();
    private Integer tokens;

    /** Gives every following message this cached token count. */
    Messages tokensEach(int count) {
        this.tokens = count;
        return this;
    }

    Messages system(String text) {
        return add(Role.SYSTEM, text, List.of(), null, null, null);
    }

    Messages user(String text) {
        return add(Role.USER, text, List.of(), null, null, null);
    }

    Messages assistant(String text) {
        return add(Role.ASSISTANT, text, List.of(), null, null, null);
    }

    Messages assistant(String text, String step) {
        return add(Role.ASSISTANT, text, List.of(), null, step, null);
    }

    Messages call(String text, String id, String name, String args) {
        return add(Role.ASSISTANT, text, List.of(new ToolCall(id, name, args)), null, null, null);
    }

    Messages tool(String callId, String result) {
        return add(Role.TOOL, result, List.of(), callId, null, null);
    }

    Messages approvalRequest(String id, String name, String args, String step) {
        return add(Role.APPROVAL, null, List.of(new ToolCall(id, name, args)), null, step, null);
    }

    Messages call(String text, String step, ToolCall... calls) {
        return add(Role.ASSISTANT, text, Arrays.asList(calls), null, step, null);
    }

    /** A tool message with one {@code tool_returns} entry per result ({@code id, text, id, text, …}). */
    Messages toolReturns(String... idsAndTexts) {
        List<ToolReturn> returns = new ArrayList<>();
        for (int i = 0; i < idsAndTexts.length; i += 2) {
            returns.add(new ToolReturn(idsAndTexts[i], "success", idsAndTexts[i + 1], null, null));
        }
        long seq = list.size();
        list.add(new Message("message-" + seq, seq, Role.TOOL, List.of(), List.of(), null, returns, null, null, null, null,
                null, null, tokens));
        return this;
    }

    Messages approvalRequest(String step, ToolCall... calls) {
        return add(Role.APPROVAL, null, Arrays.asList(calls), null, step, null);
    }

    /** An approval response answering the approval request with message id {@code requestId}. */
    Messages approvalResponse(String requestId, boolean approve) {
        long seq = list.size();
        list.add(new Message("message-" + seq, seq, Role.APPROVAL, List.of(), List.of(), null, null, null, null, approve,
                requestId, approve ? null : "denied", null, tokens));
        return this;
    }

    Messages summary(String packed) {
        return add(Role.SUMMARY, packed, List.of(), null, null, null);
    }

    Messages add(Message m) {
        list.add(m);
        return this;
    }

    /** The id the next message will get. */
    String nextId() {
        return "message-" + list.size();
    }

    int size() {
        return list.size();
    }

    /** System + n user/assistant pairs. */
    static Messages pairs(int n) {
        Messages m = new Messages().system("You are helpful.");
        for (int i = 1; i <= n; i++) {
            m.user("question " + i).assistant("answer " + i);
        }
        return m;
    }

    List<Message> build() {
        return List.copyOf(list);
    }

    private Messages add(Role role, String text, List<ToolCall> calls, String toolCallId, String step, Boolean approve) {
        long seq = list.size();
        List<ContentPart> content = text == null ? List.of() : List.of(new ContentPart.Text(text));
        list.add(new Message("message-" + seq, seq, role, content, calls, toolCallId, null, step, null, approve, null, null,
                null, tokens));
        return this;
    }
}
