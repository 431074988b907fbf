package dev.compactor.compaction;

import dev.compactor.llm.ModelCatalog;
import dev.compactor.llm.ModelHandle;

/**
 * Picks the summarizer model: the settings' {@code model}; else the deployment's default (an
 * environment setting, e.g. a Bedrock Claude Haiku profile in the cloud, {@code local/extractive}
 * on a laptop); else Letta's light default for the agent's provider; else the agent's own model.
 */
public final class ModelChoice {
    private final ModelHandle deploymentDefault;

    public ModelChoice(ModelHandle deploymentDefault) {
        this.deploymentDefault = deploymentDefault;
    }

    public ModelHandle summarizer(CompactionSettings settings, String agentModel) {
        if (settings.model() != null) {
            return ModelHandle.parse(settings.model());
        }
        if (deploymentDefault != null) {
            return deploymentDefault;
        }
        ModelHandle agent = ModelHandle.parse(agentModel);
        ModelHandle light = agent == null ? null : ModelCatalog.defaultSummarizerFor(agent.provider());
        return light != null ? light : agent;
    }
}
