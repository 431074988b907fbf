package dev.compactor.llm.render;

import dev.compactor.conversation.ContentPart;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.Role;
import dev.compactor.conversation.ToolCall;
import dev.compactor.conversation.ToolReturn;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A context in vendor-neutral turns, with the rules every vendor shares applied once:
 * <ul>
 *   <li>a tool call is sent as a call only with its result, and a result only after its call: the
 *       results must follow the assistant turn (or approval request) that made the calls, before
 *       anything else is said. A call without a result (a pending approval) is left out, as Letta
 *       leaves it out of its own requests; a result without its call becomes a user text line
 *       {@code [tool result] …} so nothing the agent saw is lost;</li>
 *   <li>an approval request is an assistant turn with its calls (merged into the assistant turn it
 *       follows, as Letta merges them); an approval response carries nothing to send;</li>
 *   <li>reasoning parts are left out: native reasoning is signed by, and only accepted back from,
 *       the model that wrote it;</li>
 *   <li>blank text is left out, and a turn left with nothing is dropped;</li>
 *   <li>duplicate calls and results (same id) keep the first.</li>
 * </ul>
 * Each entry remembers the message it came from, so a cache point can follow a given message.
 */
record Exchange(String system, List<Entry> entries) {
    /** The text of a result whose call is not in the context. */
    static final String ORPHAN_RESULT = "[tool result] ";

    enum Speaker { USER, ASSISTANT, TOOL }

    /** One turn's content; {@code source} is the index of the message it came from (-1 for the summary). */
    record Entry(Speaker speaker, List<Block> blocks) {}

    sealed interface Block {
        int source();
    }

    record Text(String text, int source) implements Block {}

    record Image(ImageSource image, int source) implements Block {}

    record Call(String id, String name, String arguments, int source) implements Block {}

    record Result(String callId, String name, String text, boolean error, int source) implements Block {}

    static Exchange of(ContextParts parts) {
        List<String> system = new ArrayList<>();
        if (parts.system() != null && !parts.system().isBlank()) {
            system.add(parts.system());
        }
        List<Entry> entries = new ArrayList<>();
        if (parts.summary() != null && !parts.summary().isBlank()) {
            entries.add(new Entry(Speaker.USER, List.of(new Text(parts.summary(), -1))));
        }
        List<Message> ms = parts.messages();
        Set<String> callsSent = new HashSet<>();
        Set<String> resultsSent = new HashSet<>();
        int i = 0;
        while (i < ms.size()) {
            Message m = ms.get(i);
            switch (m.role()) {
                case SYSTEM -> {
                    String text = Texts.joined(m.content());
                    if (text != null && !text.isBlank()) {
                        system.add(text);
                    }
                    i++;
                }
                case USER, SUMMARY -> {
                    add(entries, Speaker.USER, userBlocks(m, i));
                    i++;
                }
                case TOOL -> {
                    add(entries, Speaker.USER, orphans(returns(m, i)));
                    i++;
                }
                case ASSISTANT, APPROVAL -> i = group(ms, i, entries, callsSent, resultsSent);
            }
        }
        return new Exchange(system.isEmpty() ? null : String.join("\n\n", system), entries);
    }

    /**
     * An assistant turn (or approval request), an approval request merged into it, and the tool
     * results and approval responses that directly follow; returns the index after the group.
     */
    private static int group(List<Message> ms, int start, List<Entry> entries, Set<String> callsSent, Set<String> resultsSent) {
        Message first = ms.get(start);
        List<Message> callers = new ArrayList<>(List.of(first));
        int j = start + 1;
        if (first.role() == Role.ASSISTANT && !first.toolCalls().isEmpty() && j < ms.size() && ms.get(j).isApprovalRequest()) {
            callers.add(ms.get(j++));
        }
        List<Result> results = new ArrayList<>();
        while (j < ms.size() && (ms.get(j).role() == Role.TOOL || (ms.get(j).role() == Role.APPROVAL && ms.get(j).toolCalls().isEmpty()))) {
            results.addAll(returns(ms.get(j), j));
            j++;
        }
        Set<String> answered = new HashSet<>();
        for (Result r : results) {
            if (r.callId() != null) {
                answered.add(r.callId());
            }
        }
        List<Block> said = new ArrayList<>();
        Map<String, String> calledNames = new LinkedHashMap<>();
        for (int k = 0; k < callers.size(); k++) {
            Message caller = callers.get(k);
            int source = start + k;
            said.addAll(assistantText(caller, source));
            for (ToolCall c : caller.toolCalls()) {
                if (c.id() != null && answered.contains(c.id()) && callsSent.add(c.id())) {
                    said.add(new Call(c.id(), c.name(), c.arguments(), source));
                    calledNames.put(c.id(), c.name());
                }
            }
        }
        add(entries, Speaker.ASSISTANT, said);
        List<Block> answers = new ArrayList<>();
        List<Result> unmatched = new ArrayList<>();
        for (Result r : results) {
            if (r.callId() != null && calledNames.containsKey(r.callId())) {
                if (resultsSent.add(r.callId())) {
                    answers.add(new Result(r.callId(), calledNames.get(r.callId()), r.text(), r.error(), r.source()));
                }
            } else {
                unmatched.add(r);
            }
        }
        add(entries, Speaker.TOOL, answers);
        add(entries, Speaker.USER, orphans(unmatched));
        return j;
    }

    private static List<Block> userBlocks(Message m, int source) {
        List<Block> blocks = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        boolean onlyPart = m.content().size() == 1;
        for (ContentPart p : m.content()) {
            switch (p) {
                case ContentPart.Text t -> pending.add(t.text());
                case ContentPart.ToolReturn r when onlyPart -> pending.add(r.content());
                case ContentPart.Image img -> {
                    ImageSource image = ImageSource.of(img);
                    if (image == null) {
                        pending.add(Texts.IMAGE_HERE);
                    } else {
                        flush(blocks, pending, source);
                        blocks.add(new Image(image, source));
                    }
                }
                default -> {
                    // reasoning and tool parts inside other content: nothing a vendor takes back
                }
            }
        }
        flush(blocks, pending, source);
        return blocks;
    }

    private static void flush(List<Block> blocks, List<String> pending, int source) {
        String text = String.join("\n\n", pending);
        pending.clear();
        if (!text.isBlank()) {
            blocks.add(new Text(text, source));
        }
    }

    /** An assistant's words: Letta's text of its parts (images noted, reasoning left out). */
    private static List<Block> assistantText(Message m, int source) {
        String text = Texts.joined(m.content());
        return text == null || text.isBlank() ? List.of() : List.of(new Text(text, source));
    }

    /** A tool message's results: one per {@code tool_returns} entry, or Letta's legacy single return. */
    private static List<Result> returns(Message m, int source) {
        if (m.role() != Role.TOOL) {
            return List.of();
        }
        List<Result> out = new ArrayList<>();
        if (!m.toolReturns().isEmpty()) {
            for (ToolReturn r : m.toolReturns()) {
                out.add(new Result(r.toolCallId(), null, Texts.response(r.funcResponse()), "error".equals(r.status()), source));
            }
            return out;
        }
        String callId = m.toolCallId();
        boolean error = false;
        if (m.content().size() == 1 && m.content().get(0) instanceof ContentPart.ToolReturn tr) {
            callId = callId != null ? callId : tr.toolCallId();
            error = tr.isError();
        }
        out.add(new Result(callId, null, Texts.joined(m.content()), error, source));
        return out;
    }

    private static List<Block> orphans(List<Result> results) {
        List<Block> out = new ArrayList<>();
        for (Result r : results) {
            if (r.text() != null && !r.text().isBlank()) {
                out.add(new Text(ORPHAN_RESULT + r.text(), r.source()));
            }
        }
        return out;
    }

    private static void add(List<Entry> entries, Speaker speaker, List<Block> blocks) {
        if (!blocks.isEmpty()) {
            entries.add(new Entry(speaker, List.copyOf(blocks)));
        }
    }

    /**
     * The turns for a vendor that needs strict user/assistant alternation: tool results are the
     * user's, consecutive turns of one role are merged, and a context that would open with the
     * assistant gets Letta's opening user turn first.
     */
    List<Entry> alternating() {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            Speaker speaker = e.speaker() == Speaker.TOOL ? Speaker.USER : e.speaker();
            int last = out.size() - 1;
            if (last >= 0 && out.get(last).speaker() == speaker) {
                List<Block> merged = new ArrayList<>(out.get(last).blocks());
                merged.addAll(e.blocks());
                out.set(last, new Entry(speaker, List.copyOf(merged)));
            } else {
                out.add(new Entry(speaker, e.blocks()));
            }
        }
        if (!out.isEmpty() && out.get(0).speaker() == Speaker.ASSISTANT) {
            out.add(0, new Entry(Speaker.USER, List.of(new Text(FIRST_USER_TURN, -1))));
        }
        return out;
    }

    /** Letta's opening user turn for vendors whose first turn must be the user's. */
    static final String FIRST_USER_TURN = "User initializing bootup sequence.";

    /**
     * The block a cache point follows: the last one, in rendering order, that comes from a message
     * the caller marked stable; null when the parts ask for no cache point.
     */
    static Block stableEnd(List<Entry> entries, ContextParts parts) {
        if (!parts.cached()) {
            return null;
        }
        Block end = null;
        for (Entry e : entries) {
            for (Block b : e.blocks()) {
                if (b.source() <= parts.cacheThrough()) {
                    end = b;
                }
            }
        }
        return end;
    }
}
