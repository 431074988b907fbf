package dev.compactor.conversation.dynamo;

import static dev.compactor.conversation.dynamo.Attr.n;
import static dev.compactor.conversation.dynamo.Attr.s;
import static dev.compactor.conversation.dynamo.Attr.str;

import dev.compactor.conversation.AgentNotFoundException;
import dev.compactor.conversation.AgentPurgeStatus;
import dev.compactor.conversation.AgentPurges;
import dev.compactor.conversation.ConversationPurges;
import dev.compactor.conversation.PurgeStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Agent purges on the conversation table (layout in {@link Keys}). The agent's conversations are
 * found by a consistent Query of the agent's partition ({@code CONV#} entries, written in the
 * transaction that creates each conversation and checks the agent is live), so a conversation
 * whose create committed before the tombstone is always found, and none can commit after it
 * (the eventually consistent listing indexes could miss one created a moment before).
 */
public final class DynamoAgentPurge implements AgentPurges {
    private static final Map<String, String> STATUS = Map.of("#status", "status");

    private final Table table;
    private final Clock clock;

    public DynamoAgentPurge(DynamoDbClient dynamo, String tableName, Clock clock) {
        this.table = new Table(dynamo, tableName);
        this.clock = clock;
    }

    @Override
    public AgentPurgeStatus begin(String tenant, String agentId) {
        Optional<AgentPurgeStatus> receipt = status(tenant, agentId);
        if (receipt.isPresent() && receipt.get().done()) {
            return receipt.get();
        }
        boolean agentThere = table.get(Keys.agent(tenant, agentId), Keys.AGENT).isPresent();
        if (!agentThere && receipt.isEmpty() && conversations(tenant, agentId).isEmpty()) {
            throw new AgentNotFoundException(agentId);
        }
        Instant now = clock.instant();
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":tenant", s(tenant));
        values.put(":agent", s(agentId));
        values.put(":purging", s(PurgeStatus.PURGING));
        values.put(":now", s(now.toString()));
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(TransactWriteItem.builder().update(Update.builder().tableName(table.name)
                .key(Attr.key(Keys.purge(tenant, agentId), Keys.AGENT_PURGE))
                .updateExpression("SET tenant = :tenant, agent_id = :agent, #status = :purging, started_at = if_not_exists(started_at, :now)")
                .expressionAttributeNames(STATUS).expressionAttributeValues(values).build()).build());
        if (agentThere) {
            // Out of the agent listing at once; and every create, fork and agent update checks the tombstone.
            writes.add(TransactWriteItem.builder().update(Update.builder().tableName(table.name).key(Attr.key(Keys.agent(tenant, agentId), Keys.AGENT))
                    .updateExpression("SET " + AgentItems.TOMBSTONE + " = if_not_exists(" + AgentItems.TOMBSTONE + ", :now) REMOVE list_pk, list_sk")
                    .conditionExpression("attribute_exists(pk)").expressionAttributeValues(Map.of(":now", s(now.toString()))).build()).build());
        }
        table.transact(writes);
        return status(tenant, agentId).orElseThrow();
    }

    @Override
    public List<String> conversations(String tenant, String agentId) {
        Set<String> ids = new LinkedHashSet<>();
        if (table.get(Keys.conversation(tenant, agentId), Keys.HEAD).isPresent()) {
            ids.add(agentId);
        }
        Map<String, AttributeValue> startKey = null;
        do {
            Map<String, AttributeValue> from = startKey;
            var page = table.dynamo.query(r -> r.tableName(table.name).consistentRead(true)
                    .keyConditionExpression("pk = :pk AND begins_with(sk, :entry)")
                    .expressionAttributeValues(Map.of(":pk", s(Keys.agent(tenant, agentId)), ":entry", s(Keys.AGENT_CONVERSATION)))
                    .projectionExpression("conversation_id").exclusiveStartKey(from));
            page.items().forEach(item -> ids.add(str(item, "conversation_id")));
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (startKey != null);
        return List.copyOf(ids);
    }

    @Override
    public AgentPurgeStatus finish(String tenant, String agentId) {
        Instant now = clock.instant();
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":purged", s(PurgeStatus.PURGED));
        values.put(":now", s(now.toString()));
        values.put(":expires", n(now.plus(ConversationPurges.RECEIPT_RETENTION).getEpochSecond()));
        table.transact(List.of(
                TransactWriteItem.builder().delete(Delete.builder().tableName(table.name)
                        .key(Attr.key(Keys.agent(tenant, agentId), Keys.AGENT)).build()).build(),
                TransactWriteItem.builder().update(Update.builder().tableName(table.name)
                        .key(Attr.key(Keys.purge(tenant, agentId), Keys.AGENT_PURGE))
                        .updateExpression("SET #status = :purged, finished_at = if_not_exists(finished_at, :now), expires_at = :expires")
                        .conditionExpression("attribute_exists(pk)")
                        .expressionAttributeNames(STATUS).expressionAttributeValues(values).build()).build()));
        return status(tenant, agentId).orElseThrow();
    }

    @Override
    public Optional<AgentPurgeStatus> status(String tenant, String agentId) {
        return table.get(Keys.purge(tenant, agentId), Keys.AGENT_PURGE).map(item -> new AgentPurgeStatus(str(item, "tenant"),
                str(item, "agent_id"), str(item, "status"), Instant.parse(str(item, "started_at")),
                str(item, "finished_at") == null ? null : Instant.parse(str(item, "finished_at"))));
    }
}
