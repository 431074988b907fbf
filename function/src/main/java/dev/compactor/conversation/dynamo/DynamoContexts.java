package dev.compactor.conversation.dynamo;

import static dev.compactor.conversation.dynamo.Attr.str;

import dev.compactor.conversation.ConversationHead;
import dev.compactor.conversation.ConversationNotFoundException;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.Snapshot;
import dev.compactor.conversation.SummaryRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Reading a conversation's context: the compaction's consistent snapshot, and the context route's
 * read, which costs read units close to the bare Query of the context range on a container's first
 * read of a conversation and far fewer on its later ones.
 *
 * <p>Every item a context is made of is written once and never rewritten, so eventually
 * consistent reads (half the units) are safe once checked against the head, which is read
 * consistently: the transaction that advanced {@code next_seq} past a sequence number also wrote
 * that message, so every number in {@code [context_start_seq, next_seq)} has its message, each
 * number is one key, and a lagging replica can only lack some of them, never hold another version.
 * Exactly {@code next_seq - context_start_seq} messages therefore means exactly the committed ones;
 * fewer (an append a moment ago, or a purge under way) is read again consistently. Summary markers
 * in the range are skipped either way, so a stale one changes nothing.
 */
final class DynamoContexts {
    private final Table table;
    private final KnownContexts known = new KnownContexts();

    DynamoContexts(Table table) {
        this.table = table;
    }

    /** The head, the system message, the summary and the range, all read consistently: what a compaction plans on. */
    Snapshot snapshot(String tenant, String conversationId) {
        String pk = Keys.conversation(tenant, conversationId);
        // The head and the system message in one round trip; the rest depends on the head.
        Map<String, Map<String, AttributeValue>> first = table.getAll(pk, List.of(Keys.HEAD, Keys.message(0)));
        if (!first.containsKey(Keys.HEAD) || !Heads.live(first.get(Keys.HEAD))) {
            throw new ConversationNotFoundException(conversationId);
        }
        ConversationHead head = Heads.head(first.get(Keys.HEAD));
        if (!first.containsKey(Keys.message(0))) {
            throw new IllegalStateException("conversation " + conversationId + " has no system message");
        }
        Message system = MessageItems.message(first.get(Keys.message(0)));
        SummaryRecord summaryRecord = head.summaryGen() > 0 ? DynamoHistory.record(table, pk, head.summaryGen()) : null;
        return new Snapshot(head, system, summaryRecord == null ? null : SummaryItems.message(summaryRecord), summaryRecord,
                messages(range(pk, head.contextStartSeq(), head.nextSeq(), true)));
    }

    /**
     * {@code head}'s context. What this container holds of it is reused, and only the messages
     * after those it holds are queried (see {@link #context(String, String)}); a container that
     * holds nothing of it reads the system message and the summary (one BatchGetItem) while the
     * range is queried, all eventually consistent and checked.
     */
    Snapshot context(String tenant, ConversationHead head) {
        String pk = Keys.conversation(tenant, head.id());
        KnownContexts.Known held = known.get(pk);
        if (held == null || !head.createdAt().equals(held.createdAt())) {
            return cold(pk, head);
        }
        return fromHeld(pk, head, held, range(pk, Math.max(held.nextSeq(), head.contextStartSeq()), head.nextSeq(), false));
    }

    /** {@code head}'s context read whole: nothing of it is held here, or what is held is of a conversation purged since. */
    private Snapshot cold(String pk, ConversationHead head) {
        String summaryKey = Keys.summary(head.summaryGen());
        List<String> fixedKeys = head.summaryGen() > 0 ? List.of(Keys.message(0), summaryKey) : List.of(Keys.message(0));
        CompletableFuture<Map<String, Map<String, AttributeValue>>> fixed =
                CompletableFuture.supplyAsync(() -> immutableItems(pk, fixedKeys), Table.CONCURRENT);
        List<KnownContexts.Held> tail = range(pk, head.contextStartSeq(), head.nextSeq(), false);
        if (tail.size() != head.nextSeq() - head.contextStartSeq()) {
            tail = range(pk, head.contextStartSeq(), head.nextSeq(), true);
        }
        Map<String, Map<String, AttributeValue>> items = Table.join(fixed);
        if (items.size() < fixedKeys.size()) {
            // Only a purge removes these, and it removes the conversation.
            throw new ConversationNotFoundException(head.id());
        }
        SummaryRecord summaryRecord = head.summaryGen() > 0 ? SummaryItems.record(items.get(summaryKey)) : null;
        return remember(pk, head, MessageItems.message(items.get(Keys.message(0))), summaryRecord, tail);
    }

    /**
     * The context of the conversation's head read now. When this container has read it before, it
     * holds the system message, the summary and the range's messages up to the {@code next_seq} it
     * saw; while the head is read, one Query asks for what follows them (usually the turn just
     * appended, often nothing). The head then decides what holds: held messages it evicted are
     * dropped, a new summary is read, messages a revert brought back before the held start are read
     * (consistently: rare), and messages the Query missed (appended after it, or a lagging replica)
     * are read again consistently. A warm read is thus the head and a Query of the new messages, side
     * by side, nothing else.
     *
     * @throws ConversationNotFoundException when there is no live conversation
     */
    Snapshot context(String tenant, String conversationId) {
        String pk = Keys.conversation(tenant, conversationId);
        KnownContexts.Known held = known.get(pk);
        if (held == null) {
            return cold(pk, Heads.require(table, tenant, conversationId));
        }
        CompletableFuture<List<KnownContexts.Held>> appended = CompletableFuture.supplyAsync(
                () -> range(pk, held.nextSeq(), Keys.HISTORY_TO, false), Table.CONCURRENT);
        ConversationHead head;
        try {
            head = Heads.require(table, tenant, conversationId);
        } catch (ConversationNotFoundException e) {
            known.forget(pk);
            throw e;
        } finally {
            // Nothing is left running behind the answer, whatever the head says.
            appended.exceptionally(failed -> List.of()).join();
        }
        if (!head.createdAt().equals(held.createdAt())) {
            return cold(pk, head);
        }
        return fromHeld(pk, head, held, Table.join(appended));
    }

    /** {@code head}'s context from what {@code held} keeps and the messages {@code appended} after it; the rest, read. */
    private Snapshot fromHeld(String pk, ConversationHead head, KnownContexts.Known held, List<KnownContexts.Held> appended) {
        List<KnownContexts.Held> tail = tail(pk, head, held, appended);
        SummaryRecord summary = head.summaryGen() == held.summaryGen() ? held.summary()
                : head.summaryGen() > 0 ? summaryRecord(pk, head) : null;
        return remember(pk, head, held.system(), summary, tail);
    }

    /** {@code head}'s range from the messages {@code held} and those {@code appended} after them; what is missing, read. */
    private List<KnownContexts.Held> tail(String pk, ConversationHead head, KnownContexts.Known held,
                                          List<KnownContexts.Held> appended) {
        long start = head.contextStartSeq();
        long end = head.nextSeq();
        List<KnownContexts.Held> tail = new ArrayList<>((int) Math.max(0, end - start));
        if (start < held.contextStartSeq()) {
            tail.addAll(range(pk, start, Math.min(held.contextStartSeq(), end), true));
        }
        for (KnownContexts.Held message : held.tail()) {
            long seq = message.message().seq();
            if (seq >= start && seq < end) {
                tail.add(message);
            }
        }
        long newFrom = Math.max(start, held.nextSeq());
        int before = tail.size();
        for (KnownContexts.Held message : appended) {
            long seq = message.message().seq();
            if (seq >= newFrom && seq < end) {
                tail.add(message);
            }
        }
        if (tail.size() != end - start && newFrom < end) {
            tail.subList(before, tail.size()).clear();
            tail.addAll(range(pk, newFrom, end, true));
        }
        return tail;
    }

    private SummaryRecord summaryRecord(String pk, ConversationHead head) {
        String key = Keys.summary(head.summaryGen());
        Map<String, AttributeValue> item = immutableItems(pk, List.of(key)).get(key);
        if (item == null) {
            // Only a purge removes it, and it removes the conversation.
            throw new ConversationNotFoundException(head.id());
        }
        return SummaryItems.record(item);
    }

    /** The snapshot of {@code head}'s context, after noting what a next read of it can reuse. */
    private Snapshot remember(String pk, ConversationHead head, Message system, SummaryRecord summary, List<KnownContexts.Held> tail) {
        known.put(pk, new KnownContexts.Known(head.createdAt(), head.contextStartSeq(), head.nextSeq(), system, head.summaryGen(),
                summary, tail));
        return new Snapshot(head, system, summary == null ? null : SummaryItems.message(summary), summary, messages(tail));
    }

    /**
     * Items written once and never changed: an eventually consistent read returns each as stored
     * or not at all (a summary committed a moment ago may not have reached the replica yet); those
     * missing are read again consistently.
     */
    private Map<String, Map<String, AttributeValue>> immutableItems(String pk, List<String> sortKeys) {
        Map<String, Map<String, AttributeValue>> items = new HashMap<>(table.getAll(pk, sortKeys, false));
        List<String> missing = sortKeys.stream().filter(sk -> !items.containsKey(sk)).toList();
        if (!missing.isEmpty()) {
            items.putAll(table.getAll(pk, missing, true));
        }
        return items;
    }

    /** The messages with sequence numbers in {@code [fromSeq, toSeq)}: one Query, read ahead. */
    private List<KnownContexts.Held> range(String pk, long fromSeq, long toSeq, boolean consistent) {
        return fromSeq >= toSeq ? List.of() : range(pk, fromSeq, Keys.message(toSeq - 1), consistent);
    }

    /** The messages from sequence number {@code fromSeq} to sort key {@code to}, summary markers skipped: one Query, read ahead. */
    private List<KnownContexts.Held> range(String pk, long fromSeq, String to, boolean consistent) {
        List<KnownContexts.Held> messages = new ArrayList<>();
        // Markers of summaries a revert took out of context sit among these messages.
        table.readAll(pk, Keys.message(fromSeq), to, consistent, item -> {
            if (!Keys.isSummaryMarker(str(item, "sk"))) {
                String body = MessageItems.body(item);
                messages.add(new KnownContexts.Held(MessageItems.message(item, body), body.length() + KnownContexts.OVERHEAD_CHARS));
            }
        });
        return messages;
    }

    private static List<Message> messages(List<KnownContexts.Held> held) {
        List<Message> messages = new ArrayList<>(held.size());
        for (KnownContexts.Held message : held) {
            messages.add(message.message());
        }
        return messages;
    }
}
