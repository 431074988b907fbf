package dev.compactor.api;

import dev.compactor.conversation.ConversationDirectory;

/**
 * {@code DELETE /v1/conversations/{conversation_id}}: Letta's soft delete. The conversation
 * leaves every list and every route answers 404 for it afterwards; its items stay until a purge.
 * Answers Letta's {@code null}.
 */
final class DeleteConversationRoute implements Route {
    private final ConversationDirectory directory;

    DeleteConversationRoute(ConversationDirectory directory) {
        this.directory = directory;
    }

    @Override
    public ApiResponse handle(ApiRequest request, RequestContext context) {
        directory.deleteConversation(context.tenant(), PathIds.conversationId(request));
        return ApiResponse.json(200, null);
    }
}
