package dev.compactor.llm.http;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * One server-sent event: its {@code event:} name (null when the stream names none) and its
 * {@code data:} lines joined by newlines.
 */
public record ServerSentEvent(String event, String data) {

    /**
     * Reads events until the stream ends; comment lines and fields other than event/data are skipped.
     * An event the stream ends inside (no blank line after it) is still handed on, as providers
     * may end their last event with the stream; but when it cannot be read, the stream was cut
     * inside it rather than malformed.
     *
     * @throws EOFException when the stream ended inside an event its consumer could not read
     */
    static void read(BufferedReader in, Consumer<ServerSentEvent> events) throws IOException {
        String event = null;
        StringBuilder data = null;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.isEmpty()) {
                if (data != null) {
                    events.accept(new ServerSentEvent(event, data.toString()));
                }
                event = null;
                data = null;
            } else if (line.startsWith("event:")) {
                event = value(line, 6);
            } else if (line.startsWith("data:")) {
                data = data == null ? new StringBuilder() : data.append('\n');
                data.append(value(line, 5));
            }
        }
        if (data != null) {
            try {
                events.accept(new ServerSentEvent(event, data.toString()));
            } catch (RuntimeException unreadable) {
                EOFException cut = new EOFException("the stream ended inside an event");
                cut.initCause(unreadable);
                throw cut;
            }
        }
    }

    /** The field's value without the single space the format allows after the colon. */
    private static String value(String line, int colon) {
        return line.startsWith(" ", colon) ? line.substring(colon + 1) : line.substring(colon);
    }
}
