package dev.compactor.conversation.dynamo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.compactor.conversation.Agent;
import dev.compactor.conversation.ConversationFields;
import dev.compactor.conversation.DuePolicy;
import dev.compactor.conversation.Ids;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.MessageTooLargeException;
import dev.compactor.conversation.ModelSettings;
import dev.compactor.conversation.Role;
import dev.compactor.local.emulator.LocalDynamo;
import dev.compactor.local.runtime.SamTemplate;
import dev.compactor.support.Json;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Both of DynamoDB's size limits at their exact boundary, with random (incompressible beyond
 * base64's own redundancy) text stored deflated, against DynamoDB Local: a message whose item
 * counts exactly the limit is stored, one counting a byte more is refused with nothing stored.
 * The sizes are {@link ItemSize}'s, pinned to the developer guide by ItemSizeTest; DynamoDB Local
 * counts an item's local index entry a little smaller than the guide, so it must store everything
 * we accept.
 */
class StoreSizeLimitsTest {
    private static final String TENANT = "size-tenant";
    private static final String TABLE = "size-limits";
    private static final Instant NOW = Instant.parse("2026-12-05T07:00:00.123Z");
    private static final int TOKENS = 1234;
    private static LocalDynamo dynamo;
    private static DynamoDbClient client;

    private final DynamoConversationStore store =
            new DynamoConversationStore(client, TABLE, m -> TOKENS, new DuePolicy(0.9, 0), Clock.fixed(NOW, ZoneOffset.UTC));
    private final String conversationId = Ids.newConversationId();
    private final String pk = Keys.conversation(TENANT, conversationId);

    @BeforeAll
    static void startDynamo() {
        dynamo = LocalDynamo.start(null);
        dynamo.ensureTable(SamTemplate.load(Path.of("..", "template.yaml")), TABLE);
        client = dynamo.client();
    }

    @AfterAll
    static void stopDynamo() {
        client.close();
        dynamo.close();
    }

    private void newConversation() {
        Agent agent = store.createAgent(TENANT, new Agent(Ids.newAgentId(), "sizes", "local/extractive", 200_000, "Be brief.",
                "UTC", null, NOW));
        store.createConversation(TENANT, agent, conversationId);
    }

    private Map<String, AttributeValue> item(Message m) {
        return MessageItems.item(pk, m.withStorage(Ids.newMessageId(), 1, NOW, TOKENS));
    }

    /** A user message of random base64 text whose item measures exactly {@code target}. */
    private Message measuring(long target, ToLongFunction<Map<String, AttributeValue>> measure, long seed) {
        byte[] random = new byte[(int) target * 2];
        new Random(seed).nextBytes(random);
        String pool = Base64.getEncoder().encodeToString(random);
        for (int offset = 0; offset < 64; offset++) {
            int length = (int) (target * 4 / 3);
            for (int step = 0; step < 40; step++) {
                Message m = Message.text(Role.USER, pool.substring(offset, offset + length));
                long size = measure.applyAsLong(item(m));
                if (size == target) {
                    return m;
                }
                long gap = target - size;
                length += (int) (Math.abs(gap) > 8 ? gap * 4 / 3 : Long.signum(gap));
            }
        }
        throw new AssertionError("no text of seed " + seed + " measures " + target);
    }

    private long storedItems() {
        return client.queryPaginator(r -> r.tableName(TABLE).keyConditionExpression("pk = :pk").consistentRead(true)
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk)))).stream().mapToLong(QueryResponse::count).sum();
    }

    @Test
    void aMessageAtTheItemLimitIsStoredAndOneByteMoreIsRefused() {
        newConversation();
        Message fits = measuring(ItemSize.MAX_ITEM_BYTES, ItemSize::againstItemLimit, 1);
        Message over = measuring(ItemSize.MAX_ITEM_BYTES + 1, ItemSize::againstItemLimit, 2);
        assertThat(item(fits).get("body").b()).as("stored deflated").isNotNull();
        long before = storedItems();

        assertThatThrownBy(() -> store.append(TENANT, conversationId, List.of(over)))
                .isInstanceOf(MessageTooLargeException.class).hasMessageContaining("409601 bytes");
        assertThat(storedItems()).isEqualTo(before);

        Message stored = store.append(TENANT, conversationId, List.of(fits)).get(0);
        Map<String, AttributeValue> read = client.getItem(r -> r.tableName(TABLE).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(Keys.message(stored.seq()))))).item();
        assertThat(ItemSize.againstItemLimit(read)).isEqualTo(ItemSize.MAX_ITEM_BYTES);
        assertThat(MessageItems.message(read).content()).isEqualTo(fits.content());
    }

    @Test
    void anAppendAtTheTransactionLimitIsStoredAndOneByteMoreIsRefused() {
        newConversation();
        long budget = ItemSize.MAX_TRANSACTION_BYTES - ItemSize.HEAD_UPDATE_BYTES;
        List<Message> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            batch.add(measuring(381_000, ItemSize::of, 10 + i));
        }
        long rest = budget - 10 * 381_000L;
        List<Message> over = new ArrayList<>(batch);
        over.add(measuring(rest + 1, ItemSize::of, 30));
        batch.add(measuring(rest, ItemSize::of, 31));
        assertThat(batch).allSatisfy(m -> assertThat(ItemSize.againstItemLimit(item(m))).isLessThanOrEqualTo(ItemSize.MAX_ITEM_BYTES));
        long before = storedItems();

        assertThatThrownBy(() -> store.append(TENANT, conversationId, over))
                .isInstanceOf(MessageTooLargeException.class).hasMessageContaining((budget + 1) + " bytes together");
        assertThat(storedItems()).isEqualTo(before);

        List<Message> stored = store.append(TENANT, conversationId, batch);
        assertThat(stored).hasSize(11);
        assertThat(storedItems()).isEqualTo(before + 11);
        Map<String, AttributeValue> head = client.getItem(r -> r.tableName(TABLE).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(Keys.HEAD)))).item();
        assertThat(ItemSize.of(head)).as("the head fits what an append sets aside for it").isLessThan(ItemSize.HEAD_UPDATE_BYTES / 2);
    }

    @Test
    void aHeadWithTheLargestFieldsTheApiAcceptsFitsWhatAnAppendSetsAsideForIt() {
        String bulb = "\uD83D\uDCA1"; // one code point, four bytes in UTF-8
        Agent agent = store.createAgent(TENANT, new Agent(Ids.newAgentId(), "sizes", "local/extractive", 200_000, "Be brief.",
                "UTC", null, NOW));
        String id = Ids.newConversationId();
        ConversationFields largest = new ConversationFields(bulb.repeat(2_000), bulb.repeat(2_000), true, NOW,
                "openai/" + bulb.repeat(249), new ModelSettings("sglang", null, null, null, null, null, null, null, null, null,
                bulb.repeat(3_948), null, null), Integer.MAX_VALUE);
        assertThat(Json.write(largest.modelSettings()).codePoints().count()).isLessThanOrEqualTo(4_000);

        store.createConversation(TENANT, agent, id, largest, false);

        Map<String, AttributeValue> head = client.getItem(r -> r.tableName(TABLE).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS(Keys.conversation(TENANT, id)), "sk", AttributeValue.fromS(Keys.HEAD)))).item();
        assertThat(ItemSize.of(head)).isGreaterThan(30_000).isLessThanOrEqualTo(ItemSize.HEAD_UPDATE_BYTES);
    }
}
