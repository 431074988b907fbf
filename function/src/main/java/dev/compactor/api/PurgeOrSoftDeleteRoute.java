package dev.compactor.api;

import dev.compactor.input.Fields;

/**
 * A {@code DELETE} that is a purge with {@code purge=true} (every item deleted for good: see
 * {@link ConversationPurger}, {@link AgentPurger}) and Letta's soft delete without it. One class
 * for conversations and agents, so the {@code purge} parameter reads the same on both.
 */
final class PurgeOrSoftDeleteRoute implements Route {
    private final Route purge;
    private final Route softDelete;

    PurgeOrSoftDeleteRoute(Route purge, Route softDelete) {
        this.purge = purge;
        this.softDelete = softDelete;
    }

    @Override
    public ApiResponse handle(ApiRequest request, RequestContext context) {
        Fields fields = new Fields();
        Boolean purgeAll = new QueryParams(request, fields).bool("purge");
        fields.throwIfInvalid();
        return Boolean.TRUE.equals(purgeAll) ? purge.handle(request, context) : softDelete.handle(request, context);
    }
}
