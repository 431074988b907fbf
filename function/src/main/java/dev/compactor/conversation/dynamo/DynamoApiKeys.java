package dev.compactor.conversation.dynamo;

import static dev.compactor.conversation.dynamo.Attr.s;
import static dev.compactor.conversation.dynamo.Attr.str;

import dev.compactor.conversation.ApiKeyStore;
import dev.compactor.support.Sha256;
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
public final class DynamoApiKeys implements ApiKeyStore {
    private final Table table;
    private final Clock clock;

    public DynamoApiKeys(DynamoDbClient dynamo, String tableName, Clock clock) {
        this.table = new Table(dynamo, tableName);
        this.clock = clock;
    }

    @Override
    public Optional<String> tenantOf(String apiKey) {
        return table.get(Keys.apiKey(hash(apiKey)), Keys.API_KEY).map(item -> str(item, "tenant"));
    }

    @Override
    public void register(String apiKey, String tenant) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", s(Keys.apiKey(hash(apiKey))));
        item.put("sk", s(Keys.API_KEY));
        item.put("tenant", s(tenant));
        item.put("created_at", s(clock.instant().toString()));
        table.dynamo.putItem(r -> r.tableName(table.name).item(item));
    }

    private static String hash(String apiKey) {
        return Sha256.hex(apiKey);
    }
}
