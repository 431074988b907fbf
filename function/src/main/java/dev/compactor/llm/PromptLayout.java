package dev.compactor.llm;

import java.util.ArrayList;
import java.util.List;

/**
 * A summary request as one system text and alternating user/assistant text turns, the shape
 * every provider accepts. Tool calls and tool results are written out as text: a summary call
 * declares no tools, and Anthropic, Bedrock and OpenAI reject tool-call blocks without them.
 *
 * @param system the system text, or null when there is none
 */
public record PromptLayout(String system, List<Turn> turns) {
    /**
     * Opens the conversation when it would otherwise start with the assistant (the optional
     * acknowledgement), for providers whose first turn must be the user's.
     */
    static final String OPENING_USER_TURN = "Please get ready to summarize a conversation.";

    /** One turn: {@code user} or {@code assistant}. */
    public record Turn(String role, String text) {}

    public PromptLayout {
        turns = List.copyOf(turns);
    }

    /**
     * @param userFirst whether the provider needs the first turn to be the user's (Anthropic,
     *     Bedrock, Gemini)
     */
    public static PromptLayout of(SummaryRequest request, boolean userFirst) {
        StringBuilder system = new StringBuilder(request.system() == null ? "" : request.system());
        List<Turn> turns = new ArrayList<>();
        for (ChatMessage m : request.messages()) {
            switch (m.role()) {
                case "system" -> {
                    if (!system.isEmpty()) {
                        system.append("\n\n");
                    }
                    system.append(m.text());
                }
                case "assistant" -> add(turns, "assistant", withCalls(m));
                case "tool" -> {
                    if (!m.text().isBlank()) {
                        add(turns, "user", ("error".equals(m.status()) ? "[tool error] " : "[tool result] ") + m.text());
                    }
                }
                default -> add(turns, "user", m.text());
            }
        }
        if (userFirst && (turns.isEmpty() || !"user".equals(turns.get(0).role()))) {
            turns.add(0, new Turn("user", OPENING_USER_TURN));
        }
        return new PromptLayout(system.isEmpty() ? null : system.toString(), turns);
    }

    private static String withCalls(ChatMessage m) {
        StringBuilder text = new StringBuilder(m.text());
        for (ChatMessage.Call call : m.toolCalls()) {
            if (!text.isEmpty()) {
                text.append('\n');
            }
            text.append("[tool call] ").append(call.name()).append('(').append(call.arguments()).append(')');
        }
        return text.toString();
    }

    /** Consecutive turns of one role are merged: the providers that need alternation reject repeats. */
    private static void add(List<Turn> turns, String role, String text) {
        if (text.isBlank()) {
            return;
        }
        int last = turns.size() - 1;
        if (last >= 0 && turns.get(last).role().equals(role)) {
            turns.set(last, new Turn(role, turns.get(last).text() + "\n\n" + text));
        } else {
            turns.add(new Turn(role, text));
        }
    }
}
