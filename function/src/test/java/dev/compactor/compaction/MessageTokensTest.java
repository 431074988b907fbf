package dev.compactor.compaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.conversation.Message;
import dev.compactor.llm.ModelHandle;
import dev.compactor.tokens.ApproxTokenCounter;
import dev.compactor.tokens.BpeTokenCounter;
import dev.compactor.tokens.TokenCounter;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MessageTokensTest {

    @Test
    void approximateEstimateIsLettasJsonOfTheMessagesChatTurns() {
        Message m = Message.text(dev.compactor.conversation.Role.USER, "hello");
        // [{"role": "user", "content": "hello"}] is 38 bytes: ceil(38 / 4) = 10, times 1.3 = 13.
        assertThat(MessageTokens.approximate().estimate(m)).isEqualTo(13);
    }

    @Test
    void toolCallsAndTheirAnswersAreCountedInLettasDictLayout() {
        List<String> counted = new java.util.ArrayList<>();
        MessageTokens tokens = new MessageTokens(new TokenCounter() {
            @Override
            public int count(String text) {
                counted.add(text);
                return 1;
            }

            @Override
            public String name() {
                return "recording";
            }
        });
        List<Message> exchange = new Messages().call(null, "call_1", "lookup", "{\"q\": \"x\"}").tool("call_1", "found").build();

        tokens.estimate(exchange.get(0));
        tokens.estimate(exchange.get(1));

        assertThat(counted).containsExactly(
                "[{\"role\": \"assistant\", \"content\": \"\", \"tool_calls\": [{\"id\": \"call_1\", \"type\": \"function\", "
                        + "\"function\": {\"name\": \"lookup\", \"arguments\": \"{\\\"q\\\": \\\"x\\\"}\"}}]}]",
                "[{\"role\": \"tool\", \"content\": \"found\", \"tool_call_id\": \"call_1\"}]");
    }

    @Test
    void theStoredEstimateIsUsedWhenPresent() {
        Message m = Messages.pairs(1).tokensEach(777).build().get(0);
        Message stored = m.withTokens(777);

        assertThat(MessageTokens.approximate().count(stored, ApproxTokenCounter.INSTANCE)).isEqualTo(777);
    }

    @Test
    void openAiAgentsAreCountedWithBytePairsOncePerMessage() {
        AtomicInteger calls = new AtomicInteger();
        TokenCounter counting = new TokenCounter() {
            @Override
            public int count(String text) {
                calls.incrementAndGet();
                return BpeTokenCounter.O200K.count(text);
            }

            @Override
            public String name() {
                return "o200k_base";
            }
        };
        MessageTokens tokens = MessageTokens.approximate();
        assertThat(tokens.counterFor(new ModelHandle("openai", "gpt-5"))).isSameAs(BpeTokenCounter.O200K);
        assertThat(tokens.counterFor(new ModelHandle("bedrock", "x"))).isInstanceOf(ApproxTokenCounter.class);
        List<Message> m = Messages.pairs(3).build();

        int[] first = tokens.counts(m, counting);
        int afterFirst = calls.get();
        int[] second = tokens.counts(m, counting);

        assertThat(second).isEqualTo(first);
        assertThat(calls.get()).as("cached by message id").isEqualTo(afterFirst);
        // "question 1": 3 per message + "user" (1) + "question 1" (3).
        assertThat(first[1]).isEqualTo(3 + 1 + 3);
    }
}
