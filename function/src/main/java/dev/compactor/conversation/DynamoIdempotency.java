package dev.compactor.conversation;

import static dev.compactor.conversation.Attr.n;
import static dev.compactor.conversation.Attr.s;
import static dev.compactor.conversation.Attr.str;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Idempotency-Key records. A request claims its key with a conditional put (a pending record
 * with a lease); the commit it makes completes the record with the response in the same
 * transaction, so "committed" and "replayable" are one fact; a failed request deletes its claim.
 * A second request with the key waits while the claim is pending and then replays the response.
 * Records expire through the table's TTL attribute {@code expires_at}, and an expired record
 * counts as absent before DynamoDB gets round to deleting it.
 */
final class DynamoIdempotency {
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

    DynamoIdempotency(Table table, Clock clock) {
        this.table = table;
        this.clock = clock;
    }

    IdempotencyOutcome claim(String tenant, String key, String fingerprint, Instant deadline) {
        String keyHash = sha256(key);
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
            Map<String, AttributeValue> existing;
            try {
                table.dynamo.putItem(r -> r.tableName(table.name).item(item)
                        .conditionExpression("attribute_not_exists(pk) OR expires_at < :now")
                        .expressionAttributeValues(Map.of(":now", n(now.getEpochSecond())))
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
            if (clock.instant().plusMillis(POLL_MILLIS).isAfter(deadline)) {
                throw new IdempotencyConflictException("A request with this Idempotency-Key is still running; nothing was changed. "
                        + "Retry with the same key once it has finished.");
            }
            Table.pause(POLL_MILLIS / 2 + ThreadLocalRandom.current().nextLong(POLL_MILLIS));
        }
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

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
