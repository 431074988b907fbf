package dev.compactor.conversation;

import java.time.Instant;

/**
 * What a client sets on a conversation itself (Letta's {@code CreateConversation} and
 * {@code UpdateConversation}): its descriptive fields, and the overrides of its agent's model
 * handle, model settings and context window. Null where not set.
 *
 * @param modelSettings the conversation's {@code model_settings} as validated
 * @param archivedAt when {@code archived} last became true; null while not archived
 */
public record ConversationFields(
        String summary,
        String description,
        boolean archived,
        Instant archivedAt,
        String model,
        ModelSettings modelSettings,
        Integer contextWindowLimit) {

    public static final ConversationFields NONE = new ConversationFields(null, null, false, null, null, null, null);

    /**
     * The agent as this conversation's compactions see it: the conversation's model and context
     * window in preference to the agent's (as Letta's client resolves them).
     */
    public Agent over(Agent agent) {
        if (model == null && contextWindowLimit == null) {
            return agent;
        }
        return new Agent(agent.id(), agent.name(), model != null ? model : agent.model(),
                contextWindowLimit != null ? contextWindowLimit : agent.contextWindow(), agent.system(), agent.timezone(),
                agent.compactionSettings(), agent.createdAt(), agent.compactionThreshold(), agent.messageRetentionDays());
    }
}
