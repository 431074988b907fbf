package dev.compactor.conversation.dynamo;

import static dev.compactor.conversation.dynamo.Attr.n;
import static dev.compactor.conversation.dynamo.Attr.num;
import static dev.compactor.conversation.dynamo.Attr.s;
import static dev.compactor.conversation.dynamo.Attr.str;

import dev.compactor.conversation.CompactionNotFoundException;
import dev.compactor.conversation.ConcurrentCompactionException;
import dev.compactor.conversation.ConversationHead;
import dev.compactor.conversation.ConversationNotFoundException;
import dev.compactor.conversation.DueState;
import dev.compactor.conversation.NotRevertibleException;
import dev.compactor.conversation.Reverted;
import dev.compactor.conversation.SummaryRecord;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Moves a conversation's context pointer back to where it was before a compaction: the parent
 * summary and the first message it kept. One conditional update of the head, guarded by the
 * generation read like a commit, so a compaction planned before the revert cannot commit after it.
 */
final class DynamoRevert {
    private final Table table;
    private final Clock clock;

    DynamoRevert(Table table, Clock clock) {
        this.table = table;
        this.clock = clock;
    }

    Reverted revert(String tenant, String conversationId, long generation) {
        String pk = Keys.conversation(tenant, conversationId);
        Map<String, AttributeValue> headItem = table.get(pk, Keys.HEAD).filter(Heads::live)
                .orElseThrow(() -> new ConversationNotFoundException(conversationId));
        ConversationHead head = Heads.head(headItem);
        SummaryRecord target = table.get(pk, Keys.summary(generation)).map(SummaryItems::record)
                .orElseThrow(() -> new CompactionNotFoundException(conversationId, generation));
        long floor = num(headItem, DynamoRetention.FLOOR);
        long currentTokens = requireInLineage(pk, head, target, floor);
        long parent = target.parentGeneration();
        SummaryRecord restored = parent > 0 ? table.get(pk, Keys.summary(parent)).map(SummaryItems::record).orElse(null) : null;
        if (parent > 0 && restored == null) {
            // Only retention removes a summary record: it had released that summary and the messages it kept.
            throw NotRevertibleException.released(generation, floor);
        }
        long start = restored == null ? 1 : restored.keptFromSeq();
        if (start < floor) {
            throw NotRevertibleException.released(generation, floor);
        }
        long delta = tokensBetween(pk, start, head.contextStartSeq()) + (restored == null ? 0 : restored.tokens()) - currentTokens;
        long next = head.compactionGen() + 1;

        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":seen", n(head.compactionGen()));
        values.put(":next", n(next));
        values.put(":summary", n(parent));
        values.put(":start", n(start));
        values.put(":tokens", n(delta));
        Instant now = clock.instant();
        values.put(":now", s(now.toString()));
        // A retention run raising the floor past this start meanwhile wins: its stamped messages stay out of context.
        values.put(":restored", n(start));
        DueState due = DueState.stateFor(head.dueThreshold(), head.idleThreshold(), head.contextTokens() + delta);
        String update = Heads.update("context_start_seq = :start, compaction_gen = :next, summary_gen = :summary, updated_at = :now",
                due, now, tenant, conversationId, values);
        try {
            table.dynamo.updateItem(r -> r.tableName(table.name).key(Attr.key(pk, Keys.HEAD)).updateExpression(update)
                    .conditionExpression("compaction_gen = :seen AND " + Heads.LIVE + " AND (attribute_not_exists("
                            + DynamoRetention.FLOOR + ") OR " + DynamoRetention.FLOOR + " <= :restored)")
                    .expressionAttributeValues(values));
        } catch (ConditionalCheckFailedException e) {
            Map<String, AttributeValue> current = table.get(pk, Keys.HEAD).filter(Heads::live)
                    .orElseThrow(() -> new ConversationNotFoundException(conversationId));
            if (num(current, DynamoRetention.FLOOR) > start) {
                throw NotRevertibleException.released(generation, num(current, DynamoRetention.FLOOR));
            }
            throw new ConcurrentCompactionException(conversationId);
        }
        return new Reverted(next, generation, parent, start);
    }

    private record Link(long parent, long tokens) {}

    /**
     * Checks that {@code target} is in the lineage of the summary in context (walking parents back
     * from it); returns the token estimate of the summary in context.
     */
    private long requireInLineage(String pk, ConversationHead head, SummaryRecord target, long floor) {
        if (head.summaryGen() < target.generation()) {
            throw new NotRevertibleException(target.generation(), head.summaryGen());
        }
        Map<Long, Link> links = new HashMap<>();
        table.range(pk, Keys.summary(target.generation()), Keys.summary(head.summaryGen()), true,
                "generation, parent_generation, tokens", 0, item -> {
                    links.put(num(item, "generation"), new Link(num(item, "parent_generation"), num(item, "tokens")));
                    return true;
                });
        long g = head.summaryGen();
        while (g > target.generation()) {
            Link link = links.get(g);
            if (link == null) {
                // A summary of the lineage expired: retention released it, and what the target's parent kept.
                throw NotRevertibleException.released(target.generation(), floor);
            }
            g = link.parent();
        }
        if (g != target.generation()) {
            throw new NotRevertibleException(target.generation(), head.summaryGen());
        }
        return links.get(head.summaryGen()).tokens();
    }

    /** Token estimates of the messages in {@code [from, to)} (the ones a revert brings back into context). */
    private long tokensBetween(String pk, long from, long to) {
        if (from >= to) {
            return 0;
        }
        long[] tokens = {0};
        table.range(pk, Keys.message(from), Keys.message(to - 1), true, "sk, tokens", 0, item -> {
            if (!Keys.isSummaryMarker(str(item, "sk"))) {
                tokens[0] += num(item, "tokens");
            }
            return true;
        });
        return tokens[0];
    }
}
