package dev.compactor.conversation.dynamo;

import static dev.compactor.conversation.dynamo.Attr.n;
import static dev.compactor.conversation.dynamo.Attr.num;
import static dev.compactor.conversation.dynamo.Attr.s;
import static dev.compactor.conversation.dynamo.Attr.str;

import dev.compactor.conversation.Commit;
import dev.compactor.conversation.CompactionJob;
import dev.compactor.conversation.ConversationNotFoundException;
import dev.compactor.conversation.IdempotencyClaim;
import dev.compactor.conversation.IdempotencyConflictException;
import dev.compactor.conversation.JobStore;
import dev.compactor.conversation.MessageTooLargeException;
import dev.compactor.conversation.UsageRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Asynchronous compaction jobs (layout in {@link Keys}). A job's success is written by the
 * compaction's own commit ({@link #completion}), so "the job succeeded" and "the conversation is
 * compacted" are one fact; a failure is written together with the call's usage record.
 */
public final class DynamoJobs implements JobStore {
    /** How long a finished job can be read; the table's TTL removes it afterwards. */
    static final Duration RETENTION = Duration.ofDays(7);
    private static final Map<String, String> STATUS = Map.of("#status", "status");
    private static final String NEW = "attribute_not_exists(pk)";

    private final Table table;
    private final Clock clock;
    private final DynamoIdempotency idempotency;

    public DynamoJobs(DynamoDbClient dynamo, String tableName, Clock clock) {
        this(new Table(dynamo, tableName), clock);
    }

    DynamoJobs(Table table, Clock clock) {
        this.table = table;
        this.clock = clock;
        this.idempotency = new DynamoIdempotency(table, clock);
    }

    @Override
    public void create(CompactionJob job, String conversationId, Commit.IdempotencyCompletion idempotencyKey) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", s(Keys.job(job.tenant(), job.id())));
        item.put("sk", s(Keys.JOB));
        item.put("tenant", s(job.tenant()));
        item.put("job_id", s(job.id()));
        item.put("status", s(job.status()));
        item.put("conversation_id", s(job.conversationId()));
        item.put("request", StoredText.encode(job.requestBody()));
        item.put("created_at", s(job.createdAt().toString()));
        item.put("attempt", n(0));
        item.put("expires_at", n(job.createdAt().plus(CompactionJob.MAX_EVENT_AGE).plus(RETENTION).getEpochSecond()));
        long bytes = ItemSize.againstItemLimit(item);
        if (bytes > ItemSize.MAX_ITEM_BYTES) {
            throw new MessageTooLargeException("The request is " + bytes + " bytes even compressed; an asynchronous compaction "
                    + "can store at most " + ItemSize.MAX_ITEM_BYTES + " bytes of it.");
        }
        String conversation = Keys.conversation(job.tenant(), conversationId);
        List<TransactWriteItem> writes = new ArrayList<>(List.of(
                References.liveHead(table.name, conversation),
                TransactWriteItem.builder().put(Put.builder().tableName(table.name).item(item).conditionExpression(NEW).build()).build(),
                References.put(table.name, conversation, Keys.job(job.tenant(), job.id()), Keys.JOB)));
        if (idempotencyKey != null) {
            writes.add(idempotency.completion(idempotencyKey, job.conversationId(), clock.instant()));
            writes.add(References.put(table.name, conversation, DynamoIdempotency.partition(idempotencyKey.claim()), Keys.IDEMPOTENCY));
        }
        try {
            table.transact(writes);
        } catch (TransactionCanceledException e) {
            if ("ConditionalCheckFailed".equals(Table.reason(e, 0))) {
                throw new ConversationNotFoundException(conversationId);
            }
            if ("ConditionalCheckFailed".equals(Table.reason(e, 3))) {
                throw new IdempotencyConflictException("Another request with the same Idempotency-Key took over while this one ran; "
                        + "nothing was changed by this one.");
            }
            throw e;
        }
    }

    @Override
    public Optional<CompactionJob> find(String tenant, String jobId) {
        return table.get(Keys.job(tenant, jobId), Keys.JOB).map(DynamoJobs::job);
    }

    @Override
    public Optional<CompactionJob> claim(String tenant, String jobId, Instant leaseUntil) {
        Instant now = clock.instant();
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":queued", s(CompactionJob.QUEUED));
        values.put(":running", s(CompactionJob.RUNNING));
        values.put(":now", n(now.toEpochMilli()));
        values.put(":now_text", s(now.toString()));
        values.put(":lease", n(leaseUntil.toEpochMilli()));
        values.put(":one", n(1));
        values.put(":max", n(CompactionJob.MAX_ATTEMPTS));
        try {
            return Optional.of(job(table.dynamo.updateItem(r -> r.tableName(table.name).key(Attr.key(Keys.job(tenant, jobId), Keys.JOB))
                    .updateExpression("SET #status = :running, started_at = if_not_exists(started_at, :now_text), "
                            + "lease_until = :lease ADD attempt :one")
                    .conditionExpression("#status = :queued OR (#status = :running AND lease_until < :now AND attempt < :max)")
                    .expressionAttributeNames(STATUS).expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW)).attributes()));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean renewLease(CompactionJob claimed, Instant leaseUntil) {
        Map<String, AttributeValue> values = Map.of(":running", s(CompactionJob.RUNNING), ":attempt", n(claimed.attempt()),
                ":lease", n(leaseUntil.toEpochMilli()));
        try {
            table.dynamo.updateItem(r -> r.tableName(table.name).key(Attr.key(Keys.job(claimed.tenant(), claimed.id()), Keys.JOB))
                    .updateExpression("SET lease_until = :lease")
                    .conditionExpression("#status = :running AND attempt = :attempt")
                    .expressionAttributeNames(STATUS).expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /**
     * Takes back the Idempotency-Key answer {@link #create} stored for a job that could not be
     * started, so that a retry with the key submits it again rather than replaying "queued".
     */
    public void withdraw(IdempotencyClaim claim) {
        idempotency.withdraw(claim);
    }

    /** The commit action that finishes a job as succeeded, on condition that the committing worker still holds it. */
    TransactWriteItem completion(Commit.JobResult result, Instant now) {
        return TransactWriteItem.builder().update(finish(result.tenant(), result.jobId(), CompactionJob.RUNNING, result.attempt(),
                CompactionJob.SUCCEEDED, 200, result.responseJson(), now)).build();
    }

    @Override
    public boolean fail(CompactionJob seen, int status, String responseJson, UsageRecord usage) {
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(TransactWriteItem.builder().update(finish(seen.tenant(), seen.id(), seen.status(), seen.attempt(),
                CompactionJob.FAILED, status, responseJson, clock.instant())).build());
        if (usage != null) {
            writes.addAll(new DynamoUsage(table).writes(usage));
        }
        for (int attempt = 1; ; attempt++) {
            try {
                table.transact(writes);
                return true;
            } catch (TransactionCanceledException e) {
                if ("ConditionalCheckFailed".equals(Table.reason(e, 0))) {
                    return false;
                }
                if (attempt >= Table.MAX_ATTEMPTS || !Table.contended(e)) {
                    throw e;
                }
                Table.backoff(attempt);
            }
        }
    }

    private Update finish(String tenant, String jobId, String seenStatus, int seenAttempt, String status, int resultStatus,
                          String responseJson, Instant now) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":seen", s(seenStatus));
        values.put(":attempt", n(seenAttempt));
        values.put(":status", s(status));
        values.put(":result_status", n(resultStatus));
        values.put(":result", StoredText.encode(responseJson));
        values.put(":now", s(now.toString()));
        values.put(":expires", n(now.plus(RETENTION).getEpochSecond()));
        return Update.builder().tableName(table.name).key(Attr.key(Keys.job(tenant, jobId), Keys.JOB))
                .updateExpression("SET #status = :status, result_status = :result_status, #result = :result, finished_at = :now, "
                        + "expires_at = :expires")
                .conditionExpression("#status = :seen AND attempt = :attempt")
                .expressionAttributeNames(Map.of("#status", "status", "#result", "result"))
                .expressionAttributeValues(values).build();
    }

    private static CompactionJob job(Map<String, AttributeValue> item) {
        return new CompactionJob(str(item, "tenant"), str(item, "job_id"), str(item, "status"), str(item, "conversation_id"),
                StoredText.decode(item.get("request")), Instant.parse(str(item, "created_at")), instant(item, "started_at"),
                instant(item, "finished_at"), (int) num(item, "attempt"),
                item.containsKey("lease_until") ? Instant.ofEpochMilli(num(item, "lease_until")) : null,
                item.containsKey("result_status") ? (int) num(item, "result_status") : null, StoredText.decode(item.get("result")));
    }

    private static Instant instant(Map<String, AttributeValue> item, String name) {
        String value = str(item, name);
        return value == null ? null : Instant.parse(value);
    }
}
