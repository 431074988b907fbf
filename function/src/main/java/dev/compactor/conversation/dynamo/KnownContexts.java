package dev.compactor.conversation.dynamo;

import dev.compactor.conversation.ContentPart;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.SummaryRecord;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What this container learnt of the contexts it has read, per conversation: where the context
 * started, and the two items of it that are never rewritten — the system message (written with
 * the conversation) and the summary record of a generation (written by its commit). A warm read
 * of the context takes these from here instead of reading them again, and queries the range from
 * the start it last saw while it reads the head; the head then decides what holds (see
 * {@link DynamoConversationStore#context(String, String)}).
 *
 * <p>Bounded: the least recently read conversations go first, beyond {@link #MAX_ENTRIES} or
 * beyond {@link #MAX_CHARS} characters of text held.
 */
final class KnownContexts {
    static final int MAX_ENTRIES = 1024;
    static final long MAX_CHARS = 4L * 1024 * 1024;
    /** What an entry holds besides its text, roughly, so that many small entries count too. */
    private static final int ENTRY_CHARS = 512;

    /**
     * @param createdAt the head's creation time: a conversation purged and created again under the same id is another one
     * @param summary the record of generation {@code summaryGen}, null for generation 0
     */
    record Known(Instant createdAt, long contextStartSeq, Message system, long summaryGen, SummaryRecord summary) {
        long chars() {
            long chars = ENTRY_CHARS;
            for (ContentPart part : system.content()) {
                chars += part instanceof ContentPart.Text text ? text.text().length() : ENTRY_CHARS;
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
        if (known.chars() > MAX_CHARS) {
            return;
        }
        entries.put(pk, known);
        chars += known.chars();
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
