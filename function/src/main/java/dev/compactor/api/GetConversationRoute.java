package dev.compactor.api;

import dev.compactor.conversation.MessageStore;

/** {@code GET /v1/conversations/{conversation_id}}. */
final class GetConversationRoute implements Route {
    private final MessageStore store;

    GetConversationRoute(MessageStore store) {
        this.store = store;
    }

    @Override
    public ApiResponse handle(ApiRequest request, RequestContext context) {
        return ApiResponse.json(200, ConversationView.of(store.snapshot(context.tenant(), PathIds.conversationId(request))));
    }
}
