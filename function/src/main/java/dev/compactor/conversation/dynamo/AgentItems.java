package dev.compactor.conversation.dynamo;

import static dev.compactor.conversation.dynamo.Attr.n;
import static dev.compactor.conversation.dynamo.Attr.num;
import static dev.compactor.conversation.dynamo.Attr.putString;
import static dev.compactor.conversation.dynamo.Attr.s;
import static dev.compactor.conversation.dynamo.Attr.str;

import dev.compactor.conversation.Agent;
import dev.compactor.conversation.AgentCompactionSettings;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** An agent as one DynamoDB item, and back. */
final class AgentItems {
    /** Set on the agent item when its purge begins: from then on the agent reads as not found and nothing can be created for it. */
    static final String TOMBSTONE = "purge_started_at";
    /** The condition of every write that needs the agent: it is there and no purge of it has begun. */
    static final String LIVE = "attribute_exists(pk) AND attribute_not_exists(" + TOMBSTONE + ")";
    private static final String RETENTION_DAYS = "message_retention_days";

    private AgentItems() {}

    static boolean live(Map<String, AttributeValue> item) {
        return !item.containsKey(TOMBSTONE);
    }

    /** A conversation's entry in its agent's partition (see {@link Keys}). */
    static Map<String, AttributeValue> conversationEntry(String tenant, String agentId, String conversationId) {
        return Map.of("pk", s(Keys.agent(tenant, agentId)), "sk", s(Keys.agentConversation(conversationId)),
                "conversation_id", s(conversationId));
    }

    static Map<String, AttributeValue> item(String tenant, Agent agent) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", s(Keys.agent(tenant, agent.id())));
        item.put("sk", s(Keys.AGENT));
        item.put("tenant", s(tenant));
        item.put("agent_id", s(agent.id()));
        putString(item, "name", agent.name());
        putString(item, "model", agent.model());
        item.put("context_window", n(agent.contextWindow()));
        putString(item, "system", agent.system());
        putString(item, "timezone", agent.timezone());
        if (agent.compactionSettings() != null) {
            item.put("compaction_settings", s(agent.compactionSettings().toJson()));
        }
        item.put("created_at", s(agent.createdAt().toString()));
        item.put("list_pk", s(Keys.agentsListing(tenant)));
        item.put("list_sk", s(Keys.listSortKey(agent.createdAt(), agent.id())));
        if (agent.compactionThreshold() != null) {
            item.put("compaction_threshold", AttributeValue.fromN(BigDecimal.valueOf(agent.compactionThreshold()).toPlainString()));
        }
        if (agent.messageRetentionDays() != null) {
            item.put(RETENTION_DAYS, n(agent.messageRetentionDays()));
        }
        return item;
    }

    static Agent agent(Map<String, AttributeValue> item) {
        return new Agent(str(item, "agent_id"), str(item, "name"), str(item, "model"), (int) num(item, "context_window"),
                str(item, "system"), str(item, "timezone"),
                item.containsKey("compaction_settings") ? AgentCompactionSettings.fromJson(str(item, "compaction_settings")) : null,
                Instant.parse(str(item, "created_at")),
                item.containsKey("compaction_threshold") ? Double.valueOf(item.get("compaction_threshold").n()) : null,
                item.containsKey(RETENTION_DAYS) ? (int) num(item, RETENTION_DAYS) : null);
    }
}
