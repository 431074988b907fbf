package dev.compactor.conversation;

import static dev.compactor.conversation.Attr.s;
import static dev.compactor.conversation.Attr.str;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Which tenant an API key belongs to. Keys are stored only as their SHA-256: the table never
 * holds a key that could be used, and a key is found by hashing what the caller presents.
 */
public final class DynamoApiKeys {
    private final Table table;
    private final Clock clock;

    public DynamoApiKeys(DynamoDbClient dynamo, String tableName, Clock clock) {
        this.table = new Table(dynamo, tableName);
        this.clock = clock;
    }

    /** The tenant of {@code apiKey}, or empty for a key that is not registered (or was revoked). */
    public Optional<String> tenantOf(String apiKey) {
        return table.get(Keys.apiKey(hash(apiKey)), Keys.API_KEY).map(item -> str(item, "tenant"));
    }

    /** Registers {@code apiKey} for {@code tenant}, replacing any earlier registration of the same key. */
    public void register(String apiKey, String tenant) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", s(Keys.apiKey(hash(apiKey))));
        item.put("sk", s(Keys.API_KEY));
        item.put("tenant", s(tenant));
        item.put("created_at", s(clock.instant().toString()));
        table.dynamo.putItem(r -> r.tableName(table.name).item(item));
    }

    /** A short, non-secret name for a key in logs: the first 12 hex digits of its SHA-256. */
    public static String fingerprint(String apiKey) {
        return hash(apiKey).substring(0, 12);
    }

    private static String hash(String apiKey) {
        return DynamoIdempotency.sha256(apiKey);
    }
}
