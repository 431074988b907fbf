package dev.compactor.conversation.dynamo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.conversation.Message;
import dev.compactor.conversation.Role;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KnownContextsTest {
    private static final Instant CREATED = Instant.parse("2026-12-05T10:00:00Z");

    /** A context whose range is {@code messages} messages of {@code charsEach} stored characters. */
    private static KnownContexts.Known context(int messages, int charsEach) {
        List<KnownContexts.Held> tail = new ArrayList<>();
        for (int seq = 1; seq <= messages; seq++) {
            tail.add(new KnownContexts.Held(Message.text(Role.USER, "turn " + seq).withStorage("message-" + seq, seq, CREATED, 3),
                    charsEach));
        }
        return new KnownContexts.Known(CREATED, 1, messages + 1, Message.text(Role.SYSTEM, "You are terse."), 0, null, tail);
    }

    @Test
    void whatIsHeldCountsTheStoredCharactersOfEveryMessage() {
        assertThat(context(1_000, 4_000).chars()).isGreaterThan(4_000_000L);
    }

    @Test
    void theLeastRecentlyReadContextGoesFirstWhenTheCharactersRunOver() {
        KnownContexts known = new KnownContexts();
        // Two fit, three do not.
        int each = (int) (KnownContexts.MAX_CHARS / 2_500);
        known.put("a", context(1_000, each));
        known.put("b", context(1_000, each));
        known.get("a");

        known.put("c", context(1_000, each));

        assertThat(known.get("b")).as("read least recently").isNull();
        assertThat(known.get("a")).isNotNull();
        assertThat(known.get("c")).isNotNull();
    }

    @Test
    void aContextLargerThanTheWholeBoundIsNotHeldAndDisplacesNothing() {
        KnownContexts known = new KnownContexts();
        known.put("small", context(10, 100));

        known.put("huge", context(1_000, (int) (KnownContexts.MAX_CHARS / 999)));

        assertThat(known.get("huge")).isNull();
        assertThat(known.get("small")).isNotNull();
    }

    @Test
    void aNewerReadOfAConversationReplacesWhatWasHeldOfIt() {
        KnownContexts known = new KnownContexts();
        int each = (int) (KnownContexts.MAX_CHARS / 2 / 1_000);
        known.put("a", context(1_000, each));

        known.put("a", context(1_000, each));
        known.put("b", context(1_000, each / 2));

        assertThat(known.get("a")).as("its earlier version no longer counts against the bound").isNotNull();
        assertThat(known.get("b")).isNotNull();
    }
}
