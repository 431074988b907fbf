package dev.compactor.conversation.dynamo;

import dev.compactor.conversation.ContentPart;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.SummaryRecord;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What this container holds of the contexts it has read, per conversation: every item of a context
 * is written once and never rewritten — the system message (written with the conversation), the
 * summary record of a generation (written by its commit) and each message of the range (written by
 * its append; retention stamps only evicted ones, with an attribute not read) — so a warm read takes
 * them from here and asks DynamoDB only for the head and for what was appended since (see
 * {@link DynamoContexts#context(String, String)}).
 *
 * <p>Bounded: the least recently read conversations go first, beyond {@link #MAX_ENTRIES} or
 * beyond {@link #MAX_CHARS} characters held (stored message JSON, system text and summary).
 */
final class KnownContexts {
    static final int MAX_ENTRIES = 1024;
    /**
     * About 32 M characters. Decoded messages hold about a byte per counted character of ASCII text
     * (measured on 6,000 messages: 4.9 MB for 4.7 M), twice that outside Latin-1, so 34–70 MB of a
     * 1,024 MB function at most; room for several 10,000-message contexts (about 4 M each).
     */
    static final long MAX_CHARS = 32L * 1024 * 1024;
    /** What an entry or a held message costs besides its text, roughly, so that many small ones count too. */
    static final int OVERHEAD_CHARS = 256;

    /** A message of the range, with the characters its stored JSON has (what holding it costs). */
    record Held(Message message, int chars) {}

    /**
     * @param createdAt the head's creation time: a conversation purged and created again under the same id is another one
     * @param nextSeq the head's {@code next_seq} when read: {@code tail} is every message of {@code [contextStartSeq, nextSeq)}
     * @param summary the record of generation {@code summaryGen}, null for generation 0
     */
    record Known(Instant createdAt, long contextStartSeq, long nextSeq, Message system, long summaryGen, SummaryRecord summary,
                 List<Held> tail) {
        Known {
            tail = List.copyOf(tail);
        }

        long chars() {
            long chars = OVERHEAD_CHARS;
            for (ContentPart part : system.content()) {
                chars += part instanceof ContentPart.Text text ? text.text().length() : OVERHEAD_CHARS;
            }
            for (Held held : tail) {
                chars += held.chars();
            }
            return summary == null ? chars : chars + length(summary.packedText()) + length(summary.summary());
        }

        private static int length(String text) {
            return text == null ? 0 : text.length();
        }
    }

    private final Map<String, Known> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long chars;

    /** @param pk the conversation's partition key */
    synchronized Known get(String pk) {
        return entries.get(pk);
    }

    synchronized void put(String pk, Known known) {
        forget(pk);
        long size = known.chars();
        if (size > MAX_CHARS) {
            return;
        }
        entries.put(pk, known);
        chars += size;
        Iterator<Known> eldest = entries.values().iterator();
        while (entries.size() > MAX_ENTRIES || chars > MAX_CHARS) {
            chars -= eldest.next().chars();
            eldest.remove();
        }
    }

    synchronized void forget(String pk) {
        Known gone = entries.remove(pk);
        if (gone != null) {
            chars -= gone.chars();
        }
    }
}
