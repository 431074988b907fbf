package dev.compactor.llm.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerSentEventTest {
    @Test
    void readsNamedEventsMultiLineDataAndSkipsComments() throws IOException {
        List<ServerSentEvent> events = new ArrayList<>();

        ServerSentEvent.read(new BufferedReader(new StringReader(
                ": keep-alive\n\nevent: message_start\ndata: {\"a\":1}\n\ndata:line one\ndata: line two\nid: 7\n\ndata: [DONE]")), events::add);

        assertThat(events).containsExactly(new ServerSentEvent("message_start", "{\"a\":1}"),
                new ServerSentEvent(null, "line one\nline two"), new ServerSentEvent(null, "[DONE]"));
    }
}
