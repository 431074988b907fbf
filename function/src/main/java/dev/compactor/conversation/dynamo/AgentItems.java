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
    private AgentItems() {}

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
        return item;
    }

    static Agent agent(Map<String, AttributeValue> item) {
        return new Agent(str(item, "agent_id"), str(item, "name"), str(item, "model"), (int) num(item, "context_window"),
                str(item, "system"), str(item, "timezone"),
                item.containsKey("compaction_settings") ? AgentCompactionSettings.fromJson(str(item, "compaction_settings")) : null,
                Instant.parse(str(item, "created_at")),
                item.containsKey("compaction_threshold") ? Double.valueOf(item.get("compaction_threshold").n()) : null);
    }
}
