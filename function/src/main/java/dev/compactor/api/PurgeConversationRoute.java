package dev.compactor.api;

import dev.compactor.input.Fields;
import java.util.List;

/**
 * {@code DELETE /v1/conversations/{conversation_id}?purge=true}: every item of the conversation is
 * deleted (see {@link ConversationPurger}). Without {@code purge=true} the request is Letta's soft
 * delete, which {@code softDelete} answers.
 */
final class PurgeConversationRoute implements Route {
    private final ConversationPurger purger;
    private final Route softDelete;

    PurgeConversationRoute(ConversationPurger purger, Route softDelete) {
        this.purger = purger;
        this.softDelete = softDelete;
    }

    @Override
    public ApiResponse handle(ApiRequest request, RequestContext context) {
        Fields fields = new Fields();
        Boolean purge = fields.bool(new QueryParams(request, fields).string("purge"), List.of("query", "purge"));
        fields.throwIfInvalid();
        if (!Boolean.TRUE.equals(purge)) {
            return softDelete.handle(request, context);
        }
        return purger.purge(context, PathIds.conversationId(request));
    }
}
