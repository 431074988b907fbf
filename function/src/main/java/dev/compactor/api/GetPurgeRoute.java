package dev.compactor.api;

/** {@code GET /v1/conversations/{conversation_id}/purge} (ours): the receipt of a running or finished purge. */
final class GetPurgeRoute implements Route {
    private final ConversationPurger purger;

    GetPurgeRoute(ConversationPurger purger) {
        this.purger = purger;
    }

    @Override
    public ApiResponse handle(ApiRequest request, RequestContext context) {
        return purger.receipt(context.tenant(), PathIds.conversationId(request));
    }
}
