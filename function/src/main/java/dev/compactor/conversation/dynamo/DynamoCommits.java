package dev.compactor.conversation.dynamo;

import static dev.compactor.conversation.dynamo.Attr.n;
import static dev.compactor.conversation.dynamo.Attr.s;

import dev.compactor.conversation.Commit;
import dev.compactor.conversation.ConcurrentCompactionException;
import dev.compactor.conversation.DuePolicy;
import dev.compactor.conversation.DueState;
import dev.compactor.conversation.IdempotencyConflictException;
import dev.compactor.conversation.JobNotRunningException;
import dev.compactor.conversation.MessageTooLargeException;
import dev.compactor.conversation.SummaryRecord;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * A compaction's commit: its summary, history marker and head pointer, with what the call answers
 * (Idempotency-Key, job, SDK call, usage), in one transaction.
 */
final class DynamoCommits {
    private static final int COMMIT_HEAD_ACTION = 2;

    private final Table table;
    private final DuePolicy duePolicy;
    private final Clock clock;
    private final DynamoIdempotency idempotency;
    private final DynamoJobs jobs;
    private final DynamoUsage usage;

    DynamoCommits(Table table, DuePolicy duePolicy, Clock clock, DynamoIdempotency idempotency, DynamoJobs jobs, DynamoUsage usage) {
        this.table = table;
        this.duePolicy = duePolicy;
        this.clock = clock;
        this.idempotency = idempotency;
        this.jobs = jobs;
        this.usage = usage;
    }

    void commit(String tenant, String conversationId, Commit commit) {
        String pk = Keys.conversation(tenant, conversationId);
        SummaryRecord summary = commit.summary();
        Instant now = clock.instant();
        Map<String, AttributeValue> record = SummaryItems.record(pk, summary);
        long recordBytes = ItemSize.againstItemLimit(record);
        if (recordBytes > ItemSize.MAX_ITEM_BYTES) {
            throw new MessageTooLargeException("The summary is " + recordBytes + " bytes even compressed; at most "
                    + ItemSize.MAX_ITEM_BYTES + " can be stored. Set compaction_settings.clip_chars to clip it.");
        }
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":seen", n(commit.expectedGeneration()));
        values.put(":gen", n(summary.generation()));
        values.put(":start", n(commit.keptFromSeq()));
        values.put(":tokens", n(commit.contextTokenDelta()));
        values.put(":now", s(now.toString()));
        DueState due = DueState.stateFor(duePolicy.dueThreshold(commit.agent()), duePolicy.idleThreshold(commit.agent()),
                commit.contextTokens());
        // The lease, whoever holds it, is of the generation this commit ends: removed in the same update, at no extra write.
        String update = Heads.releasingLease(Heads.update("context_start_seq = :start, compaction_gen = :gen, summary_gen = :gen, "
                + "updated_at = :now, " + Heads.thresholds(duePolicy, commit.agent(), values), due, now, tenant, conversationId, values));
        List<TransactWriteItem> writes = new ArrayList<>(List.of(
                TransactWriteItem.builder().put(Put.builder().tableName(table.name).item(record)
                        .conditionExpression("attribute_not_exists(sk)").build()).build(),
                TransactWriteItem.builder().put(Put.builder().tableName(table.name).item(SummaryItems.marker(pk, summary))
                        .conditionExpression("attribute_not_exists(sk)").build()).build(),
                TransactWriteItem.builder().update(Update.builder().tableName(table.name).key(Attr.key(pk, Keys.HEAD))
                        .updateExpression(update).conditionExpression("compaction_gen = :seen AND " + Heads.LIVE)
                        .expressionAttributeValues(values).build()).build()));
        transactAnswering(tenant, conversationId, commit, writes, now, COMMIT_HEAD_ACTION);
    }

    void answer(String tenant, String conversationId, Commit answered) {
        transactAnswering(tenant, conversationId, answered, new ArrayList<>(), clock.instant(), -1);
    }

    /**
     * Runs {@code writes} with what {@code commit} answers (its Idempotency-Key, job, SDK call and
     * usage) in one transaction, retried while contended.
     *
     * @param headAction the index of the head's update among {@code writes}, or -1 for none
     */
    private void transactAnswering(String tenant, String conversationId, Commit commit, List<TransactWriteItem> writes, Instant now,
                                   int headAction) {
        String pk = Keys.conversation(tenant, conversationId);
        int idempotencyAction = -1;
        if (commit.idempotency() != null) {
            idempotencyAction = writes.size();
            writes.add(idempotency.completion(commit.idempotency(), conversationId, now));
            writes.add(References.put(table.name, pk, DynamoIdempotency.partition(commit.idempotency().claim()), Keys.IDEMPOTENCY));
        }
        int jobAction = -1;
        if (commit.job() != null) {
            jobAction = writes.size();
            writes.add(jobs.completion(commit.job(), now));
        }
        if (commit.sdkCall() != null) {
            writes.add(idempotency.sdkCall(commit.sdkCall(), conversationId, commit.summary().generation(), now));
            writes.add(References.put(table.name, pk, DynamoIdempotency.partition(commit.sdkCall()), Keys.IDEMPOTENCY));
        }
        if (commit.usage() != null) {
            writes.addAll(usage.writes(commit.usage()));
        }
        if (writes.isEmpty()) {
            return;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                table.transact(writes);
                return;
            } catch (TransactionCanceledException e) {
                // A worker that lost its job must stop, whatever else changed meanwhile.
                if ("ConditionalCheckFailed".equals(Table.reason(e, jobAction))) {
                    throw new JobNotRunningException(commit.job().jobId());
                }
                if ("ConditionalCheckFailed".equals(Table.reason(e, headAction))) {
                    Heads.require(table, tenant, conversationId);
                    throw new ConcurrentCompactionException(conversationId);
                }
                if ("ConditionalCheckFailed".equals(Table.reason(e, idempotencyAction))) {
                    throw new IdempotencyConflictException("Another request with the same Idempotency-Key took over while this one ran; "
                            + "nothing was changed by this one.");
                }
                if (attempt >= Table.MAX_ATTEMPTS || !Table.contended(e)) {
                    throw e;
                }
                Table.backoff(attempt);
            }
        }
    }

    Optional<SummaryRecord> summaryRecord(String tenant, String conversationId, long generation) {
        return table.get(Keys.conversation(tenant, conversationId), Keys.summary(generation)).map(SummaryItems::record);
    }
}
