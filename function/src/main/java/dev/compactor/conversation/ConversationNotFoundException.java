package dev.compactor.conversation;

/** No such conversation for this tenant (another tenant's conversation looks exactly the same). */
public final class ConversationNotFoundException extends RuntimeException {
    private final String conversationId;

    public ConversationNotFoundException(String conversationId) {
        super("Conversation with id " + conversationId + " not found");
        this.conversationId = conversationId;
    }

    public String conversationId() {
        return conversationId;
    }
}
