package dev.compactor.conversation;

import java.time.Duration;

/**
 * How long a conversation's released history is kept: its agent's
 * {@link Agent#messageRetentionDays()} when set, else the deployment's period; with neither,
 * history is kept for good.
 *
 * @param deployment the deployment's period ({@code RETENTION_DAYS}); null keeps history for good
 */
public record RetentionPolicy(Duration deployment) {
    /** The period for this agent's conversations, or null when their history is kept for good. */
    public Duration forAgent(Agent agent) {
        return agent.messageRetentionDays() != null ? Duration.ofDays(agent.messageRetentionDays()) : deployment;
    }
}
