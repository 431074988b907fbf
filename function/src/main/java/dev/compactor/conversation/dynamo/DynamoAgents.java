package dev.compactor.conversation.dynamo;

import dev.compactor.conversation.Agent;
import dev.compactor.conversation.AgentNotFoundException;
import dev.compactor.conversation.AgentQuery;
import dev.compactor.conversation.ConversationFields;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/** Agents: created with their default conversation, read, replaced, listed, and deleted with every conversation of theirs. */
final class DynamoAgents {
    private final Table table;
    private final DynamoListing listing;
    private final DynamoConversations conversations;

    DynamoAgents(Table table, DynamoListing listing, DynamoConversations conversations) {
        this.table = table;
        this.listing = listing;
        this.conversations = conversations;
    }

    Agent createAgent(String tenant, Agent agent) {
        List<TransactWriteItem> writes = new ArrayList<>(conversations.newConversationWrites(tenant, agent, agent.id(), ConversationFields.NONE,
                null));
        writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table.name).item(AgentItems.item(tenant, agent))
                .conditionExpression("attribute_not_exists(pk)").build()).build());
        table.transact(writes);
        return agent;
    }

    Optional<Agent> findAgent(String tenant, String agentId) {
        return table.get(Keys.agent(tenant, agentId), Keys.AGENT).filter(AgentItems::live).map(AgentItems::agent);
    }

    Agent updateAgent(String tenant, Agent agent) {
        try {
            table.dynamo.putItem(r -> r.tableName(table.name).item(AgentItems.item(tenant, agent))
                    .conditionExpression(AgentItems.LIVE));
        } catch (ConditionalCheckFailedException e) {
            throw new AgentNotFoundException(agent.id());
        }
        return agent;
    }

    List<Agent> listAgents(String tenant, AgentQuery query) {
        return listing.agents(tenant, query);
    }

    void deleteAgent(String tenant, String agentId) {
        if (findAgent(tenant, agentId).isEmpty()) {
            throw new AgentNotFoundException(agentId);
        }
        for (boolean hidden : new boolean[] {false, true}) {
            listing.agentConversationKeys(tenant, agentId, hidden, keys -> {
                for (Map<String, AttributeValue> key : keys) {
                    conversations.softDelete(tenant, Heads.conversationId(key));
                }
                return true;
            });
        }
        conversations.softDelete(tenant, agentId);
        try {
            table.dynamo.deleteItem(r -> r.tableName(table.name).key(Attr.key(Keys.agent(tenant, agentId), Keys.AGENT))
                    .conditionExpression("attribute_exists(pk)"));
        } catch (ConditionalCheckFailedException e) {
            throw new AgentNotFoundException(agentId);
        }
    }
}
