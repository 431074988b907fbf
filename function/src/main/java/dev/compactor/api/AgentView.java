package dev.compactor.api;

import dev.compactor.conversation.Agent;
import dev.compactor.llm.ModelHandle;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An agent as Letta's {@code AgentState}: the fields compaction keeps (with our
 * {@code compaction_threshold}, null for the deployment's), Letta's {@code llm_config} view of the
 * model, and empty collections for the parts of an agent this service does not hold
 * (tools, memory blocks, sources, tags).
 */
final class AgentView {
    private AgentView() {}

    static Map<String, Object> of(Agent agent) {
        ModelHandle handle = ModelHandle.parse(agent.model());
        Map<String, Object> llm = new LinkedHashMap<>();
        llm.put("model", handle.model());
        llm.put("model_endpoint_type", handle.provider());
        llm.put("context_window", agent.contextWindow());
        llm.put("handle", agent.model());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", agent.id());
        out.put("name", agent.name());
        out.put("agent_type", "letta_v1_agent");
        out.put("system", agent.system());
        out.put("model", agent.model());
        out.put("llm_config", llm);
        out.put("compaction_settings", agent.compactionSettings());
        out.put("compaction_threshold", agent.compactionThreshold());
        out.put("timezone", agent.timezone());
        out.put("created_at", agent.createdAt().toString());
        out.put("tools", List.of());
        out.put("blocks", List.of());
        out.put("memory", Map.of("blocks", List.of()));
        out.put("sources", List.of());
        out.put("tags", List.of());
        return out;
    }
}
