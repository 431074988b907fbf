package dev.compactor.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.compactor.conversation.Agent;
import dev.compactor.conversation.AgentCompactionSettings;
import dev.compactor.llm.ModelHandle;
import java.util.List;

/**
 * An agent as Letta's {@code AgentState}: the fields compaction keeps (with our
 * {@code compaction_threshold} and {@code message_retention_days}, null for the deployment's), Letta's {@code llm_config} view of the
 * model, and empty collections for the parts of an agent this service does not hold
 * (tools, memory blocks, sources, tags).
 *
 * @param compactionSettings the stored settings, complete, as Letta returns them (null only for an
 *     agent stored before settings were kept at creation)
 */
@JsonPropertyOrder({"id", "name", "agent_type", "system", "model", "llm_config", "compaction_settings", "compaction_threshold",
        "message_retention_days", "timezone", "created_at", "tools", "blocks", "memory", "sources", "tags"})
record AgentView(
        String id,
        String name,
        @JsonProperty("agent_type") String agentType,
        String system,
        String model,
        @JsonProperty("llm_config") LlmConfig llmConfig,
        @JsonProperty("compaction_settings") AgentCompactionSettings compactionSettings,
        @JsonProperty("compaction_threshold") Double compactionThreshold,
        @JsonProperty("message_retention_days") Integer messageRetentionDays,
        String timezone,
        @JsonProperty("created_at") String createdAt,
        List<String> tools,
        List<String> blocks,
        Memory memory,
        List<String> sources,
        List<String> tags) {

    @JsonPropertyOrder({"model", "model_endpoint_type", "context_window", "handle"})
    record LlmConfig(String model, @JsonProperty("model_endpoint_type") String modelEndpointType,
                     @JsonProperty("context_window") int contextWindow, String handle) {}

    record Memory(List<String> blocks) {}

    static AgentView of(Agent agent) {
        ModelHandle handle = ModelHandle.parse(agent.model());
        return new AgentView(agent.id(), agent.name(), "letta_v1_agent", agent.system(), agent.model(),
                new LlmConfig(handle.model(), handle.provider(), agent.contextWindow(), agent.model()),
                agent.compactionSettings(), agent.compactionThreshold(), agent.messageRetentionDays(), agent.timezone(), agent.createdAt().toString(),
                List.of(), List.of(), new Memory(List.of()), List.of(), List.of());
    }
}
