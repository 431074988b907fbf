package dev.compactor.conversation.dynamo;

import static dev.compactor.conversation.dynamo.Attr.n;
import static dev.compactor.conversation.dynamo.Attr.s;
import static dev.compactor.conversation.dynamo.Attr.str;

import dev.compactor.conversation.Appended;
import dev.compactor.conversation.ConversationHead;
import dev.compactor.conversation.DueState;
import dev.compactor.conversation.Ids;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.MessageStore;
import dev.compactor.conversation.MessageTooLargeException;
import dev.compactor.conversation.ToolCallPairing;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToIntFunction;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/** Appends: messages stored under the next sequence numbers, the head advanced in the same transaction. */
final class DynamoAppends {
    /** How far back an append looks for the tool calls its first tool results answer. */
    static final int TOOL_CALL_LOOKBACK = 100;

    private final Table table;
    private final ToIntFunction<Message> tokenEstimator;
    private final Clock clock;

    DynamoAppends(Table table, ToIntFunction<Message> tokenEstimator, Clock clock) {
        this.table = table;
        this.tokenEstimator = tokenEstimator;
        this.clock = clock;
    }

    Appended appendMessages(String tenant, String conversationId, List<Message> messages) {
        if (messages.isEmpty()) {
            return new Appended(List.of(), Heads.require(table, tenant, conversationId));
        }
        if (messages.size() > MessageStore.MAX_APPEND) {
            throw new IllegalArgumentException("at most " + MessageStore.MAX_APPEND + " messages can be appended at once");
        }
        String pk = Keys.conversation(tenant, conversationId);
        for (int attempt = 1; ; attempt++) {
            ConversationHead head = Heads.require(table, tenant, conversationId);
            ToolCallPairing.check(ToolCallPairing.needsHistory(messages) ? openToolCalls(pk, head) : Set.of(), messages);
            Instant now = clock.instant();
            List<Message> stored = new ArrayList<>(messages.size());
            List<TransactWriteItem> writes = new ArrayList<>(messages.size() + 1);
            long added = 0;
            long batchBytes = 0;
            for (int i = 0; i < messages.size(); i++) {
                Message m = messages.get(i);
                int tokens = m.tokens() != null ? m.tokens() : tokenEstimator.applyAsInt(m);
                Message s = m.withStorage(Ids.newMessageId(), head.nextSeq() + i, m.createdAt() == null ? now : m.createdAt(), tokens);
                Map<String, AttributeValue> item = MessageItems.item(pk, s);
                long bytes = ItemSize.againstItemLimit(item);
                if (bytes > ItemSize.MAX_ITEM_BYTES) {
                    throw new MessageTooLargeException("Message " + i + " is " + bytes + " bytes even compressed; a stored message "
                            + "can be at most " + ItemSize.MAX_ITEM_BYTES + " bytes (DynamoDB's item limit).");
                }
                batchBytes += ItemSize.of(item);
                stored.add(s);
                added += tokens;
                writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table.name).item(item)
                        .conditionExpression("attribute_not_exists(sk)").build()).build());
            }
            if (batchBytes > ItemSize.MAX_TRANSACTION_BYTES - ItemSize.HEAD_UPDATE_BYTES) {
                throw new MessageTooLargeException("These messages are " + batchBytes + " bytes together even compressed; one append "
                        + "stores at most " + (ItemSize.MAX_TRANSACTION_BYTES - ItemSize.HEAD_UPDATE_BYTES)
                        + " bytes (DynamoDB's transaction limit less the conversation's head). "
                        + "Append them in several requests.");
            }
            Map<String, AttributeValue> values = new HashMap<>();
            values.put(":expected", n(head.nextSeq()));
            values.put(":seen_gen", n(head.compactionGen()));
            values.put(":next", n(head.nextSeq() + messages.size()));
            values.put(":tokens", n(added));
            values.put(":now", s(now.toString()));
            // A queued conversation stays queued: its compaction will account for these messages.
            DueState due = head.dueState() == DueState.QUEUED ? null
                    : DueState.stateFor(head.dueThreshold(), head.idleThreshold(), head.contextTokens() + added);
            writes.add(TransactWriteItem.builder().update(Update.builder().tableName(table.name).key(Attr.key(pk, Keys.HEAD))
                    .updateExpression(Heads.update("next_seq = :next, updated_at = :now", due, now, tenant, conversationId, values))
                    // The generation too: the token estimate and due state written here build on the head read above.
                    .conditionExpression("next_seq = :expected AND compaction_gen = :seen_gen AND " + Heads.LIVE)
                    .expressionAttributeValues(values).build()).build());
            try {
                table.transact(writes);
                return new Appended(stored, new ConversationHead(head.id(), head.agentId(), head.nextSeq() + messages.size(),
                        head.contextStartSeq(), head.compactionGen(), head.summaryGen(), head.contextTokens() + added,
                        head.contextWindow(), head.dueThreshold(), head.idleThreshold(), due == null ? head.dueState() : due,
                        head.createdAt(), now, head.fields(), head.lease()));
            } catch (TransactionCanceledException e) {
                // Another append took these sequence numbers, a compaction or revert moved the context (its head
                // update won), or a purge began: read the head again.
                boolean lostRace = "ConditionalCheckFailed".equals(Table.reason(e, messages.size())) || Table.contended(e);
                if (attempt >= Table.MAX_ATTEMPTS || !lostRace) {
                    throw e;
                }
                Table.backoff(attempt);
            }
        }
    }

    /** The tool calls of the latest message before {@code head.nextSeq()} that made any. */
    private Set<String> openToolCalls(String pk, ConversationHead head) {
        AtomicReference<Set<String>> open = new AtomicReference<>(Set.of());
        AtomicInteger seen = new AtomicInteger();
        table.range(pk, Keys.HISTORY_FROM, Keys.message(head.nextSeq() - 1), false, null, TOOL_CALL_LOOKBACK, item -> {
            if (Keys.isSummaryMarker(str(item, "sk"))) {
                return true;
            }
            Message m = MessageItems.message(item);
            if (!m.toolCalls().isEmpty()) {
                open.set(ToolCallPairing.callIds(m));
                return false;
            }
            return seen.incrementAndGet() < TOOL_CALL_LOOKBACK;
        });
        return open.get();
    }
}
