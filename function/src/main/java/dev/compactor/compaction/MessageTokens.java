package dev.compactor.compaction;

import dev.compactor.conversation.Message;
import dev.compactor.json.JsonWriter;
import dev.compactor.llm.ChatMessage;
import dev.compactor.tokens.ApproxTokenCounter;
import dev.compactor.tokens.TokenCounter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A message's token estimate: its chat turns serialised as Letta's approximate counter does
 * ({@code json.dumps} defaults), counted once. A list's estimate is the sum of its messages', so
 * the planner can use prefix sums instead of recounting.
 */
public final class MessageTokens {
    private final TokenCounter counter;

    public MessageTokens(TokenCounter counter) {
        this.counter = counter;
    }

    public static MessageTokens approximate() {
        return new MessageTokens(ApproxTokenCounter.INSTANCE);
    }

    public int estimate(Message m) {
        List<ChatMessage> turns = LlmView.convertAlone(m);
        if (turns.isEmpty()) {
            return 0;
        }
        List<Map<String, Object>> dicts = new ArrayList<>(turns.size());
        for (ChatMessage t : turns) {
            dicts.add(LlmView.dict(t));
        }
        return counter.count(JsonWriter.PYTHON_DEFAULT.write(dicts));
    }

    /** The cached estimate when the message carries one. */
    public int cachedOrEstimate(Message m) {
        return m.tokens() != null ? m.tokens() : estimate(m);
    }
}
