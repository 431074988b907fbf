package dev.compactor.compaction;

import dev.compactor.conversation.Message;
import dev.compactor.llm.ChatMessage;
import dev.compactor.llm.ModelHandle;
import dev.compactor.support.JsonMapper;
import dev.compactor.support.JsonWriter;
import dev.compactor.tokens.ApproxTokenCounter;
import dev.compactor.tokens.TokenCounter;
import dev.compactor.tokens.TokenCounters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-message token estimates, each computed once. A list's estimate is the sum of its messages',
 * so the planner works on prefix sums instead of recounting a list per step.
 *
 * <p>Two units: Letta's approximate count (the chat turns serialised as Letta's counter does,
 * {@code json.dumps} defaults, bytes / 4 × 1.3), which the store persists with every message and
 * which is the unit of every model family without a tokenizer here; and, for OpenAI-family agents,
 * the exact byte-pair count of each turn with OpenAI's per-message overhead, cached in memory by
 * message id for the life of the container.
 */
public final class MessageTokens {
    /** OpenAI's chat format spends about three tokens per message and per tool call around the text. */
    static final int BPE_PER_MESSAGE = 3;
    static final int BPE_PER_CALL = 3;
    /** Bound on the in-memory BPE cache; cleared whole when reached (cheap, and rare in one container). */
    static final int BPE_CACHE_LIMIT = 500_000;

    private final TokenCounter approximate;
    /** Counter name → message id → count. */
    private final Map<String, Map<String, Integer>> bpeCache = new ConcurrentHashMap<>();

    public MessageTokens(TokenCounter approximate) {
        this.approximate = approximate;
    }

    public static MessageTokens approximate() {
        return new MessageTokens(ApproxTokenCounter.INSTANCE);
    }

    /** Letta's approximate estimate of one message (what the store persists). */
    public int estimate(Message m) {
        List<ChatMessage> turns = LlmView.convertAlone(m);
        if (turns.isEmpty()) {
            return 0;
        }
        List<CountedTurn> counted = new ArrayList<>(turns.size());
        for (ChatMessage t : turns) {
            counted.add(CountedTurn.of(t));
        }
        // Python's json.dumps layout is JsonWriter's; the mapper only lays the records out as plain values.
        return approximate.count(JsonWriter.PYTHON_DEFAULT.write(JsonMapper.MAPPER.convertValue(counted, Object.class)));
    }

    /** The persisted approximate estimate when the message carries one, else computed. */
    public int cachedOrEstimate(Message m) {
        return m.tokens() != null ? m.tokens() : estimate(m);
    }

    /** The counter used for an agent's model. */
    public TokenCounter counterFor(ModelHandle agentModel) {
        TokenCounter family = agentModel == null ? null : TokenCounters.forModel(agentModel.provider(), agentModel.model());
        return family == null || family instanceof ApproxTokenCounter ? approximate : family;
    }

    /** One message in the given counter's unit, cached. */
    public int count(Message m, TokenCounter counter) {
        if (counter == approximate || counter instanceof ApproxTokenCounter) {
            return cachedOrEstimate(m);
        }
        if (m.id() == null) {
            return bpe(m, counter);
        }
        Map<String, Integer> cache = bpeCache.computeIfAbsent(counter.name(), k -> new ConcurrentHashMap<>());
        Integer cached = cache.get(m.id());
        if (cached != null) {
            return cached;
        }
        int value = bpe(m, counter);
        if (cache.size() >= BPE_CACHE_LIMIT) {
            cache.clear();
        }
        cache.put(m.id(), value);
        return value;
    }

    /** Every message of a context, aligned by index: one pass, each message counted at most once. */
    public int[] counts(List<Message> context, TokenCounter counter) {
        int[] out = new int[context.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = count(context.get(i), counter);
        }
        return out;
    }

    private static int bpe(Message m, TokenCounter counter) {
        int total = 0;
        for (ChatMessage t : LlmView.convertAlone(m)) {
            total += BPE_PER_MESSAGE + counter.count(t.role()) + counter.count(t.text());
            for (ChatMessage.Call c : t.toolCalls()) {
                total += BPE_PER_CALL + counter.count(c.name()) + counter.count(c.arguments());
            }
        }
        return total;
    }
}
