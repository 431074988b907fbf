package dev.compactor.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.compactor.conversation.DueState;
import dev.compactor.events.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DueMessageTest {
    private static final String CONVERSATION = "conv-11111111-2222-4333-8444-555555555555";

    @Test
    void readsWhatItWrites() {
        DueMessage message = new DueMessage("acme", CONVERSATION, 3, 181_234, DueState.IDLE);

        assertThat(message.toJson()).isEqualTo("{\"tenant\":\"acme\",\"conversation_id\":\"" + CONVERSATION
                + "\",\"generation\":3,\"context_tokens\":181234,\"listed_as\":\"idle\",\"trigger\":\"schedule\"}");
        assertThat(DueMessage.parse(message.toJson())).isEqualTo(message);
    }

    @Test
    void saysWhetherTheStreamOrTheScheduleSentIt() {
        DueMessage fromStream = new DueMessage("acme", CONVERSATION, 3, 181_234, DueState.DUE, Trigger.DUE);
        String withoutTrigger = "{\"tenant\":\"acme\",\"conversation_id\":\"" + CONVERSATION
                + "\",\"generation\":3,\"context_tokens\":1,\"listed_as\":\"due\"}";

        assertThat(DueMessage.parse(fromStream.toJson())).isEqualTo(fromStream);
        assertThat(DueMessage.parse(withoutTrigger).trigger()).as("a message queued before triggers were written").isEqualTo(Trigger.SCHEDULE);
        assertThatThrownBy(() -> DueMessage.parse(withoutTrigger.replace("}", ",\"trigger\":\"manual\"}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("trigger must be");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "not json                                                                                        | the message body is not",
        "{'tenant': 'a#b', 'conversation_id': 'CONV', 'generation': 0, 'context_tokens': 1, 'listed_as': 'due'} | tenant must be",
        "{'conversation_id': 'CONV', 'generation': 0, 'context_tokens': 1, 'listed_as': 'due'}                  | tenant must be",
        "{'tenant': 'a', 'conversation_id': 'default', 'generation': 0, 'context_tokens': 1, 'listed_as': 'due'} | conversation_id must be",
        "{'tenant': 'a', 'conversation_id': 'conv-1', 'generation': 0, 'context_tokens': 1, 'listed_as': 'due'}  | conversation_id must be",
        "{'tenant': 'a', 'conversation_id': 'CONV', 'generation': -1, 'context_tokens': 1, 'listed_as': 'due'}   | generation must be",
        "{'tenant': 'a', 'conversation_id': 'CONV', 'generation': '2', 'context_tokens': 1, 'listed_as': 'due'}  | generation must be",
        "{'tenant': 'a', 'conversation_id': 'CONV', 'generation': 1.5, 'context_tokens': 1, 'listed_as': 'due'}  | generation must be",
        "{'tenant': 'a', 'conversation_id': 'CONV', 'generation': 0, 'listed_as': 'due'}                         | context_tokens must be",
        "{'tenant': 'a', 'conversation_id': 'CONV', 'generation': 0, 'context_tokens': 1, 'listed_as': 'none'}   | listed_as must be",
        "{'tenant': 'a', 'conversation_id': 'CONV', 'generation': 0, 'context_tokens': 1}                        | listed_as must be",
    })
    void refusesMalformedBodiesSayingWhy(String body, String why) {
        String json = body.replace('\'', '"').replace("CONV", CONVERSATION);

        assertThatThrownBy(() -> DueMessage.parse(json)).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(why);
    }
}
