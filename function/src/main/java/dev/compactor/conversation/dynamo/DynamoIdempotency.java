package dev.compactor.conversation.dynamo;

import static dev.compactor.conversation.dynamo.Attr.n;
import static dev.compactor.conversation.dynamo.Attr.s;
import static dev.compactor.conversation.dynamo.Attr.str;

import dev.compactor.conversation.Commit;
import dev.compactor.conversation.CommittedCall;
import dev.compactor.conversation.IdempotencyClaim;
import dev.compactor.conversation.IdempotencyConflictException;
import dev.compactor.conversation.IdempotencyKeyReusedException;
import dev.compactor.conversation.IdempotencyOutcome;
import dev.compactor.conversation.LeaseBeats;
import dev.compactor.conversation.LeaseHeartbeat;
import dev.compactor.conversation.LeaseRenewal;
import dev.compactor.support.Log;
import dev.compactor.support.Sha256;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Idempotency-Key records. A request claims its key with a conditional put (a pending record
 * with a lease); the commit it makes completes the record with the response in the same
 * transaction, so "committed" and "replayable" are one fact; a failed request deletes its claim.
 * While the request runs, a heartbeat renews its lease ({@link LeaseRenewal}). A second
 * request with the key waits while the claim is pending and its lease live, then replays the
 * response; a claim whose lease ran out (its holder died) is taken over at once. Records expire
 * through the table's TTL attribute {@code expires_at}, and an expired record counts as absent
 * before DynamoDB gets round to deleting it.
 */
final class DynamoIdempotency {
    /** How long an SDK call's answer is kept for its resends (the SDK's timeouts and backoff take minutes at most). */
    static final Duration SDK_RESEND_WINDOW = Duration.ofMinutes(10);
    /** How long a completed request's response can be replayed. */
    static final Duration RETENTION = Duration.ofHours(24);
    /** A claim outlives its request's deadline by this much before another request may take it over. */
    static final Duration LEASE_MARGIN = Duration.ofSeconds(10);
    private static final long POLL_MILLIS = 100;
    private static final String PENDING = "pending";
    private static final String COMPLETED = "completed";
    private static final Map<String, String> NAMES = Map.of("#status", "status", "#owner", "owner", "#response", "response");

    private final Table table;
    private final Clock clock;
    private final LeaseRenewal lease;
    private final LeaseBeats beats;

    DynamoIdempotency(Table table, Clock clock) {
        this(table, clock, LeaseRenewal.IDEMPOTENCY);
    }

    DynamoIdempotency(Table table, Clock clock, LeaseRenewal lease) {
        this.table = table;
        this.clock = clock;
        this.lease = lease;
        this.beats = new LeaseBeats(clock, lease);
    }

    IdempotencyOutcome claim(String tenant, String key, String fingerprint, Instant deadline) {
        String keyHash = Sha256.hex(key);
        String pk = Keys.idempotency(tenant, keyHash);
        while (true) {
            Instant now = clock.instant();
            IdempotencyClaim claim = new IdempotencyClaim(tenant, keyHash, UUID.randomUUID().toString());
            Map<String, AttributeValue> item = new HashMap<>();
            item.put("pk", s(pk));
            item.put("sk", s(Keys.IDEMPOTENCY));
            item.put("status", s(PENDING));
            item.put("owner", s(claim.owner()));
            item.put("fingerprint", s(fingerprint));
            item.put("created_at", s(now.toString()));
            item.put("expires_at", n(deadline.plus(LEASE_MARGIN).getEpochSecond()));
            item.put("lease_until", n(now.plus(lease.lease()).toEpochMilli()));
            Map<String, AttributeValue> existing;
            try {
                table.dynamo.putItem(r -> r.tableName(table.name).item(item)
                        .conditionExpression("attribute_not_exists(pk) OR expires_at < :now "
                                + "OR (#status = :pending AND lease_until < :now_ms)")
                        .expressionAttributeNames(Map.of("#status", "status"))
                        .expressionAttributeValues(Map.of(":now", n(now.getEpochSecond()), ":pending", s(PENDING),
                                ":now_ms", n(now.toEpochMilli())))
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
                return new IdempotencyOutcome.Claimed(claim);
            } catch (ConditionalCheckFailedException e) {
                existing = e.hasItem() && !e.item().isEmpty() ? e.item() : table.get(pk, Keys.IDEMPOTENCY).orElse(null);
            }
            if (existing == null) {
                continue;
            }
            if (!fingerprint.equals(str(existing, "fingerprint"))) {
                throw new IdempotencyKeyReusedException();
            }
            if (COMPLETED.equals(str(existing, "status"))) {
                return new IdempotencyOutcome.Replay(StoredText.decode(existing.get("response")));
            }
            Instant leaseUntil = existing.containsKey("lease_until")
                    ? Instant.ofEpochMilli(Long.parseLong(existing.get("lease_until").n())) : null;
            Instant checked = clock.instant();
            if (leaseUntil != null && leaseUntil.isBefore(checked)) {
                continue; // its holder stopped renewing: it died, so this request takes the claim over
            }
            if (checked.plusMillis(POLL_MILLIS).isAfter(deadline)) {
                Duration wait = leaseUntil == null ? null : Duration.between(checked, leaseUntil);
                throw new IdempotencyConflictException("A request with this Idempotency-Key is still running; nothing was changed. "
                        + "Retry with the same key once it has finished.", wait);
            }
            Table.pause(POLL_MILLIS / 2 + ThreadLocalRandom.current().nextLong(POLL_MILLIS));
        }
    }

    /**
     * Renews the claim's lease every {@link LeaseRenewal#heartbeat()} until closed, on condition
     * that the claim is still pending and ours; once it is not, renewing stops. A renewal DynamoDB
     * refused otherwise (throttled, say) is tried again at the next beat: the lease outlasts a few
     * missed ones. A request's claim has no limit of its own here: its deadline ends the request.
     */
    LeaseHeartbeat heartbeat(IdempotencyClaim claim) {
        return beats.start(clock.instant(), Instant.MAX, until -> renew(claim, until),
                e -> Log.warn("idempotency.lease_renew_failed", "tenant", claim.tenant(), "error", e.getClass().getSimpleName()));
    }

    /** @return false when the claim is no longer ours to renew (completed, released or taken over) */
    private boolean renew(IdempotencyClaim claim, Instant until) {
        try {
            table.dynamo.updateItem(r -> r.tableName(table.name)
                    .key(Attr.key(Keys.idempotency(claim.tenant(), claim.keyHash()), Keys.IDEMPOTENCY))
                    .updateExpression("SET lease_until = :until")
                    .conditionExpression("#status = :pending AND #owner = :owner")
                    .expressionAttributeNames(Map.of("#status", "status", "#owner", "owner"))
                    .expressionAttributeValues(Map.of(":until", n(until.toEpochMilli()), ":pending", s(PENDING),
                            ":owner", s(claim.owner()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /**
     * The transaction action that keeps an SDK call's answer for its resends, in the key space of
     * Idempotency-Keys under a hash no key can have (keys hold no line break).
     */
    TransactWriteItem sdkCall(Commit.SdkCall call, String conversationId, long generation, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", s(partition(call)));
        item.put("sk", s(Keys.IDEMPOTENCY));
        item.put("status", s(COMPLETED));
        item.put("fingerprint", s(call.fingerprint()));
        item.put("response", StoredText.encode(call.responseJson()));
        item.put("conversation_id", s(conversationId));
        item.put("generation", n(generation));
        item.put("completed_at", s(now.toString()));
        item.put("expires_at", n(now.plus(SDK_RESEND_WINDOW).getEpochSecond()));
        return TransactWriteItem.builder().put(Put.builder().tableName(table.name).item(item).build()).build();
    }

    /** The answer an SDK call with this fingerprint committed within the resend window, if any. */
    Optional<CommittedCall> committedSdkCall(String tenant, String fingerprint) {
        return table.get(Keys.idempotency(tenant, sdkCallHash(fingerprint)), Keys.IDEMPOTENCY)
                .filter(item -> Long.parseLong(item.get("expires_at").n()) >= clock.instant().getEpochSecond())
                .filter(item -> fingerprint.equals(str(item, "fingerprint")))
                .map(item -> new CommittedCall(str(item, "conversation_id"), Long.parseLong(item.get("generation").n()),
                        StoredText.decode(item.get("response"))));
    }

    /** The partition of a claim's record. */
    static String partition(IdempotencyClaim claim) {
        return Keys.idempotency(claim.tenant(), claim.keyHash());
    }

    /** The partition of an SDK call's kept answer. */
    static String partition(Commit.SdkCall call) {
        return Keys.idempotency(call.tenant(), sdkCallHash(call.fingerprint()));
    }

    private static String sdkCallHash(String fingerprint) {
        return Sha256.hex("sdk-call\n" + fingerprint);
    }

    /** The transaction action that completes a claim with its response, on condition that the claim is still ours. */
    TransactWriteItem completion(Commit.IdempotencyCompletion completion, String conversationId, Instant now) {
        IdempotencyClaim claim = completion.claim();
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":completed", s(COMPLETED));
        values.put(":pending", s(PENDING));
        values.put(":owner", s(claim.owner()));
        values.put(":response", StoredText.encode(completion.responseJson()));
        values.put(":conversation", s(conversationId));
        values.put(":now", s(now.toString()));
        values.put(":expires", n(now.plus(RETENTION).getEpochSecond()));
        return TransactWriteItem.builder().update(Update.builder().tableName(table.name)
                .key(Attr.key(Keys.idempotency(claim.tenant(), claim.keyHash()), Keys.IDEMPOTENCY))
                .updateExpression("SET #status = :completed, #response = :response, conversation_id = :conversation, "
                        + "completed_at = :now, expires_at = :expires")
                .conditionExpression("#status = :pending AND #owner = :owner")
                .expressionAttributeNames(NAMES).expressionAttributeValues(values).build()).build();
    }

    void release(IdempotencyClaim claim) {
        try {
            table.dynamo.deleteItem(r -> r.tableName(table.name)
                    .key(Attr.key(Keys.idempotency(claim.tenant(), claim.keyHash()), Keys.IDEMPOTENCY))
                    .conditionExpression("#status = :pending AND #owner = :owner")
                    .expressionAttributeNames(Map.of("#status", "status", "#owner", "owner"))
                    .expressionAttributeValues(Map.of(":pending", s(PENDING), ":owner", s(claim.owner()))));
        } catch (ConditionalCheckFailedException e) {
            // Completed after all, or taken over after our lease ran out: either way not ours to delete.
        }
    }

    /**
     * Deletes a claim's record whether pending or completed: for a request whose stored answer
     * turned out not to hold (a job that was queued but could not be started), so that its retry
     * runs again instead of replaying it.
     */
    void withdraw(IdempotencyClaim claim) {
        try {
            table.dynamo.deleteItem(r -> r.tableName(table.name)
                    .key(Attr.key(Keys.idempotency(claim.tenant(), claim.keyHash()), Keys.IDEMPOTENCY))
                    .conditionExpression("#owner = :owner")
                    .expressionAttributeNames(Map.of("#owner", "owner"))
                    .expressionAttributeValues(Map.of(":owner", s(claim.owner()))));
        } catch (ConditionalCheckFailedException e) {
            // Taken over by another request after our lease ran out: not ours to delete.
        }
    }

}
