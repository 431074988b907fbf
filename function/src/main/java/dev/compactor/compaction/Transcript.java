package dev.compactor.compaction;

import dev.compactor.conversation.Message;
import dev.compactor.conversation.Role;
import dev.compactor.llm.ChatMessage;
import dev.compactor.text.CodePoints;
import dev.compactor.tokens.ApproxTokenCounter;
import java.util.ArrayList;
import java.util.List;

/**
 * The plain-text transcript Letta sends to a summariser: one {@code [role] content} line per turn
 * (tool calls rendered {@code -> name(args)}), system messages left out, empty lines skipped,
 * wrapped in fixed start/end markers.
 */
public final class Transcript {
    static final String START = "<start_transcript>\n";
    static final String END = "\n<end_transcript>\n. Generate the summary.";

    private Transcript() {}

    /** The span's chat turns without system messages, as the transcript renders them. */
    public static List<ChatMessage> turns(List<Message> span, Integer toolReturnLimit) {
        List<Message> withoutSystem = new ArrayList<>(span.size());
        for (Message m : span) {
            if (m.role() != Role.SYSTEM) {
                withoutSystem.add(m);
            }
        }
        return LlmView.toChat(withoutSystem, toolReturnLimit);
    }

    public static String render(List<ChatMessage> turns) {
        List<String> lines = new ArrayList<>(turns.size());
        for (ChatMessage t : turns) {
            String content = t.text();
            if (!t.toolCalls().isEmpty()) {
                StringBuilder calls = new StringBuilder("-> ");
                for (int i = 0; i < t.toolCalls().size(); i++) {
                    ChatMessage.Call c = t.toolCalls().get(i);
                    if (i > 0) {
                        calls.append(", ");
                    }
                    calls.append(c.name()).append('(').append(c.arguments()).append(')');
                }
                content = content.isEmpty() ? calls.toString() : content + " " + calls;
            }
            if (!content.isEmpty()) {
                lines.add("[" + t.role() + "] " + content);
            }
        }
        return START + String.join("\n", lines) + END;
    }

    /**
     * Letta's middle truncation within a UTF-8 byte budget: keeps the first and last 30% of the
     * budget (in characters) around a marker saying how much was dropped.
     */
    public static String middleTruncate(String text, long budgetBytes) {
        long bytes = ApproxTokenCounter.utf8Length(text);
        if (budgetBytes <= 0 || bytes <= budgetBytes) {
            return text;
        }
        int chars = text.codePointCount(0, text.length());
        double bytesPerChar = (double) bytes / chars;
        int budgetChars = Math.max(1, (int) (budgetBytes / bytesPerChar));
        int head = (int) (budgetChars * 0.3);
        int tail = (int) (budgetChars * 0.3);
        if (head + tail > budgetChars) {
            tail = Math.max(0, budgetChars - head);
        }
        int dropped = chars - head - tail;
        String marker = "\n[TRUNCATED: dropped " + dropped + " middle chars due to context budget]\n";
        int room = budgetChars - head - tail;
        int markerLength = marker.codePointCount(0, marker.length());
        if (room < markerLength) {
            tail = Math.max(0, tail - (markerLength - room));
        }
        String headText = CodePoints.prefix(text, head);
        String tailText = tail == 0 ? "" : CodePoints.suffix(text, tail);
        return headText + marker + tailText;
    }
}
