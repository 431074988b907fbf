package dev.compactor.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.compactor.conversation.ConversationStore;
import dev.compactor.json.Json;
import dev.compactor.json.JsonSyntaxException;
import dev.compactor.runtime.Env;
import dev.compactor.runtime.Log;
import dev.compactor.runtime.Services;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.crac.Core;
import org.crac.Resource;

/**
 * Lambda entry point for every API route (API Gateway REST proxy integration, payload 1.0).
 * Reads the event with our own JSON code rather than the runtime's reflective mapping, and primes
 * that path before a SnapStart snapshot.
 */
public final class ApiHandler implements RequestStreamHandler, Resource {
    /** Time kept back from the Lambda deadline so a late answer can still be written and returned. */
    static final Duration RESPONSE_RESERVE = Duration.ofSeconds(2);
    /** Without a Lambda context (tests, tools) assume API Gateway's 29-second integration timeout. */
    static final Duration DEFAULT_BUDGET = Duration.ofSeconds(27);
    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private final Services services;
    private final Router router;
    private final String defaultTenant;

    /** Used by the Lambda runtime. */
    public ApiHandler() {
        this(Services.fromEnvironment(Env.system()));
    }

    /** Used by the local runtime, which passes the environment a deployed function would see. */
    public ApiHandler(Map<String, String> environment) {
        this(Services.fromEnvironment(new Env(environment)));
    }

    public ApiHandler(Services services) {
        this.services = services;
        this.defaultTenant = services.env().get("DEFAULT_TENANT", "default");
        ConversationStore store = services.store();
        this.router = new Router()
                .add("POST", "/v1/agents", new CreateAgentRoute(store, services.clock()))
                .add("GET", "/v1/agents/{agent_id}", new GetAgentRoute(store))
                .add("PATCH", "/v1/agents/{agent_id}", new UpdateAgentRoute(store))
                .add("POST", "/v1/conversations", new CreateConversationRoute(store))
                .add("GET", "/v1/conversations/{conversation_id}", new GetConversationRoute(store))
                .add("GET", "/v1/conversations/{conversation_id}/messages", new ListMessagesRoute(store))
                .add("POST", "/v1/conversations/{conversation_id}/messages/append", new AppendMessagesRoute(store))
                .add("GET", "/v1/conversations/{conversation_id}/compactions", new ListCompactionsRoute(store))
                .add("POST", "/v1/conversations/{conversation_id}/compactions/{generation}/revert", new RevertCompactionRoute(store))
                .add("POST", CompactRoute.RESOURCE, new CompactRoute(services.compaction(), new IdempotentRequests(store)));
        Core.getGlobalContext().register(this);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String event = new String(input.readAllBytes(), StandardCharsets.UTF_8);
        ApiResponse response = handle(event, context == null ? null : context.getAwsRequestId(),
                deadline(context));
        output.write(Json.write(response.toEvent()).getBytes(StandardCharsets.UTF_8));
    }

    /** Handles one proxy event (JSON text) and returns the proxy response. */
    public ApiResponse handle(String eventJson, String lambdaRequestId, Instant deadline) {
        long started = System.nanoTime();
        ApiRequest request;
        try {
            request = ApiRequest.fromJson(eventJson);
        } catch (JsonSyntaxException | ClassCastException e) {
            Log.error("api.bad_event", "error", e.getClass().getSimpleName());
            return ApiResponse.json(400, Map.of("detail", "The function received an event that is not an API Gateway proxy event"));
        }
        String requestId = request.requestId() != null ? request.requestId()
                : lambdaRequestId != null ? lambdaRequestId : UUID.randomUUID().toString();
        String route = request.method() + " " + (request.resource() == null ? request.path() : request.resource());
        ApiResponse response;
        try {
            Router.Match match = router.match(request);
            route = match.request().method() + " " + match.request().resource();
            RequestContext context = new RequestContext(tenant(request), requestId, deadline);
            response = match.route().handle(match.request(), context);
        } catch (RuntimeException e) {
            response = ErrorResponses.of(e, requestId.replace("-", ""));
            if (response.status() >= 500) {
                Log.error("api.failure", "request_id", requestId, "route", route, "error", e.getClass().getName(),
                        "at", e.getStackTrace().length > 0 ? e.getStackTrace()[0].toString() : "");
            }
        }
        Log.info("api.request", "request_id", requestId, "route", route, "status", response.status(),
                "duration_ms", (System.nanoTime() - started) / 1_000_000);
        return response.withHeader("x-request-id", requestId);
    }

    private String tenant(ApiRequest request) {
        Object fromAuthorizer = request.authorizer().get("tenant");
        String tenant = fromAuthorizer == null ? defaultTenant : String.valueOf(fromAuthorizer);
        if (!TENANT.matcher(tenant).matches()) {
            throw new IllegalStateException("authorizer produced an invalid tenant id");
        }
        return tenant;
    }

    static Instant deadline(Context context) {
        Instant now = Instant.now();
        if (context == null) {
            return now.plus(DEFAULT_BUDGET);
        }
        return now.plusMillis(context.getRemainingTimeInMillis()).minus(RESPONSE_RESERVE);
    }

    /**
     * Before the SnapStart snapshot: run the request path once (event parsing, routing, validation,
     * error mapping) and open the DynamoDB client's connection with a read of a key that cannot
     * exist. Side-effect free; failures are ignored because priming is only an optimisation.
     */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        try {
            handle("{\"resource\":\"" + CompactRoute.RESOURCE + "\",\"httpMethod\":\"POST\",\"pathParameters\":"
                    + "{\"conversation_id\":\"conv-00000000-0000-4000-8000-000000000000\"},"
                    + "\"requestContext\":{\"requestId\":\"snapstart-priming\",\"authorizer\":{\"tenant\":\"priming\"}},"
                    + "\"body\":\"{\\\"compaction_settings\\\":{\\\"mode\\\":\\\"all\\\"}}\"}", null, Instant.now().plusSeconds(5));
        } catch (RuntimeException e) {
            Log.warn("snapstart.priming_failed", "error", e.getClass().getSimpleName());
        }
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // Nothing to refresh: the HTTP client reopens stale connections on first use.
    }
}
