package dev.compactor.conversation.dynamo;

import static dev.compactor.conversation.dynamo.Attr.s;
import static dev.compactor.conversation.dynamo.Attr.str;

import dev.compactor.conversation.AgentNotFoundException;
import dev.compactor.conversation.AgentPurgeStatus;
import dev.compactor.conversation.AgentPurges;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
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
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(receipt(tenant, agentId).open(now, Map.of("tenant", s(tenant), "agent_id", s(agentId)), Map.of()));
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
            startKey = Table.nextKey(page);
        } while (startKey != null);
        return List.copyOf(ids);
    }

    @Override
    public AgentPurgeStatus finish(String tenant, String agentId) {
        table.transact(List.of(
                TransactWriteItem.builder().delete(Delete.builder().tableName(table.name)
                        .key(Attr.key(Keys.agent(tenant, agentId), Keys.AGENT)).build()).build(),
                receipt(tenant, agentId).close(clock.instant(), Map.of())));
        return status(tenant, agentId).orElseThrow();
    }

    @Override
    public Optional<AgentPurgeStatus> status(String tenant, String agentId) {
        return receipt(tenant, agentId).read().map(item -> new AgentPurgeStatus(str(item, "tenant"), str(item, "agent_id"),
                str(item, "status"), PurgeReceipt.startedAt(item), PurgeReceipt.finishedAt(item)));
    }

    private PurgeReceipt receipt(String tenant, String agentId) {
        return new PurgeReceipt(table, tenant, agentId, Keys.AGENT_PURGE);
    }
}
