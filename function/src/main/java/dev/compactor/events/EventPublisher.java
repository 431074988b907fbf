package dev.compactor.events;

/**
 * Publishes conversation events after their commit. A publisher never throws: the change has
 * committed and stands whatever becomes of its event.
 */
public interface EventPublisher {
    /** Publishes nothing: no bus is configured. */
    EventPublisher NONE = event -> { };

    void publish(ConversationEvent event);

    /** Publishes a purge's event (the purge calls this once its last item is gone). */
    default void publishPurged(String tenant, String conversationId, String agentId, long generation, long itemsDeleted) {
        publish(new ConversationPurged(tenant, conversationId, agentId, generation, itemsDeleted));
    }
}
