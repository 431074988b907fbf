package dev.compactor.conversation;

import java.time.Instant;
import java.util.List;

/**
 * A conversation message with Letta's {@code Message} fields.
 *
 * @param seq position in the conversation's history (the system message is 0; 0 too for messages
 *     not yet stored)
 * @param tokens cached token estimate of this message, or null when not yet computed
 */
public record Message(
        String id,
        long seq,
        Role role,
        List<ContentPart> content,
        List<ToolCall> toolCalls,
        String toolCallId,
        List<ToolReturn> toolReturns,
        String stepId,
        String name,
        Boolean approve,
        String approvalRequestId,
        String denialReason,
        Instant createdAt,
        Integer tokens) {

    public Message {
        content = content == null ? List.of() : List.copyOf(content);
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        toolReturns = toolReturns == null ? List.of() : List.copyOf(toolReturns);
    }

    public static Message text(Role role, String text) {
        return new Message(null, 0, role, List.of(new ContentPart.Text(text)), null, null, null, null, null,
                null, null, null, null, null);
    }

    /** Letta: role approval with tool calls. */
    public boolean isApprovalRequest() {
        return role == Role.APPROVAL && !toolCalls.isEmpty();
    }

    /** Letta: role approval without tool calls, carrying a decision. */
    public boolean isApprovalResponse() {
        return role == Role.APPROVAL && toolCalls.isEmpty() && approve != null;
    }

    /** Where a sliding-window cut may start the kept tail: an assistant, or an approval request. */
    public boolean isValidCutoff() {
        return role == Role.ASSISTANT || isApprovalRequest();
    }

    public Message withStorage(String newId, long newSeq, Instant newCreatedAt, Integer newTokens) {
        return new Message(newId, newSeq, role, content, toolCalls, toolCallId, toolReturns, stepId, name, approve,
                approvalRequestId, denialReason, newCreatedAt, newTokens);
    }

    public Message withTokens(int newTokens) {
        return new Message(id, seq, role, content, toolCalls, toolCallId, toolReturns, stepId, name, approve,
                approvalRequestId, denialReason, createdAt, newTokens);
    }
}
