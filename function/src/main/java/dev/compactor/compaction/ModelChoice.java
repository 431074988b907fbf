package dev.compactor.compaction;

import dev.compactor.llm.ModelCatalog;
import dev.compactor.llm.ModelHandle;

/**
 * Picks the summarizer model, in Letta's order (reference §5.1) with our deployment default in
 * between: an agent on Letta's {@code letta/auto} router, or settings naming {@code letta/auto},
 * get Claude Haiku 4.5; else the settings' {@code model}; else the deployment's default (an
 * environment setting, e.g. a Bedrock Claude Haiku profile in the cloud, {@code local/extractive}
 * on a laptop); else Letta's light default for the agent's provider; else the agent's own model.
 */
public final class ModelChoice {
    /** Letta's route for {@code letta/auto} agents and settings. */
    public static final ModelHandle LETTA_AUTO_SUMMARIZER = new ModelHandle("anthropic", "claude-haiku-4-5");
    private final ModelHandle deploymentDefault;

    public ModelChoice(ModelHandle deploymentDefault) {
        this.deploymentDefault = deploymentDefault;
    }

    public ModelHandle summarizer(CompactionSettings settings, String agentModel) {
        if (isLettaAuto(agentModel) || isLettaAuto(settings.model())) {
            return LETTA_AUTO_SUMMARIZER;
        }
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

    /**
     * The summarizer model an agent stores when it names none (Letta stores it at creation): the
     * deployment's default, else Letta's light default for the agent's provider, else the agent's model.
     */
    public String defaultFor(String agentModel) {
        if (deploymentDefault != null) {
            return deploymentDefault.toString();
        }
        ModelHandle agent = ModelHandle.parse(agentModel);
        ModelHandle light = agent == null ? null : ModelCatalog.defaultSummarizerFor(agent.provider());
        return light != null ? light.toString() : agentModel;
    }

    /** Letta's auto-routing handles: {@code letta/auto}, {@code letta/auto-fast}, … */
    public static boolean isLettaAuto(String handle) {
        return handle != null && handle.startsWith("letta/auto");
    }
}
