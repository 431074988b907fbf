package dev.compactor.api;

/** One API operation. */
@FunctionalInterface
interface Route {
    ApiResponse handle(ApiRequest request, RequestContext context);
}
