package dev.compactor.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.compactor.access.Tenants;
import dev.compactor.app.Services;
import dev.compactor.conversation.ConversationStore;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import dev.compactor.support.LambdaEventJson;
import dev.compactor.support.JsonSyntaxException;
import dev.compactor.metering.CompactionMetrics;
import dev.compactor.support.Env;
import dev.compactor.support.Log;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.crac.Core;
import org.crac.Resource;

/**
 * Lambda entry point for every API route (API Gateway REST proxy integration, payload 1.0).
 * Reads the event into {@link APIGatewayProxyRequestEvent} with the container's one mapper (a stream
 * handler, not the runtime's own serializer: see {@link LambdaEventJson}), and primes that path and
 * the default summarizer before a SnapStart snapshot. Every request gets one log
 * line (ids, tenant, route, status, timings, and what its route reports), and every compaction
 * its metrics.
 */
public final class ApiHandler implements RequestStreamHandler, Resource {
    /** Time kept back from the deadline so a late answer can still be written and returned. */
    static final Duration RESPONSE_RESERVE = Duration.ofSeconds(2);
    /** API Gateway's default integration timeout for a REST API: it answers 504 itself after this. */
    static final Duration GATEWAY_TIMEOUT = Duration.ofSeconds(29);
    /** Request ids go into usage record keys and logs: API Gateway's are UUIDs. */
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9-]{1,100}");

    /**
     * A method and resource path this handler answers. Any other method of a served path is a
     * 405 and any other path a 404, so the deployment sends every method of these paths here.
     */
    public record ServedRoute(String method, String resource) {}

    private final Services services;
    private final Router router;
    private final String defaultTenant;
    private final CompactionMetrics metrics;
    private final Clock clock;
    /** The compaction routes' integration timeout ({@code INTEGRATION_TIMEOUT_SECONDS}), which the deadline keeps inside. */
    private final Duration gatewayTimeout;

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
        this.clock = services.clock();
        this.defaultTenant = services.env().get(Env.DEFAULT_TENANT);
        if (defaultTenant != null && !Tenants.valid(defaultTenant)) {
            throw new IllegalStateException(Env.DEFAULT_TENANT + " is not a valid tenant id: '" + defaultTenant + "'");
        }
        this.metrics = new CompactionMetrics(services.metrics());
        this.gatewayTimeout = gatewayTimeout(services.env());
        ConversationStore store = services.store();
        CompactionJobs jobs = new CompactionJobs(services.jobs(), services.compaction(), services.worker(), clock);
        CompactRoute compact = new CompactRoute(services.compaction(), new IdempotentRequests(store), jobs, services.usage(), clock);
        ConversationPurger purger = new ConversationPurger(services.purges(), services.events(), services.worker(), services.purgeInlineMaxItems());
        AgentPurger agentPurger = new AgentPurger(services.agentPurges(), services.purges(), purger, services.worker(),
                services.purgeInlineMaxItems(), clock);
        this.router = new Router()
                .add("POST", "/v1/agents", new CreateAgentRoute(store, clock, services.compaction().models()))
                .add("GET", "/v1/agents/{agent_id}", new GetAgentRoute(store))
                .add("PATCH", "/v1/agents/{agent_id}", new UpdateAgentRoute(store, services.compaction().models()))
                .add("POST", "/v1/conversations", new CreateConversationRoute(store, store, store))
                .add("GET", "/v1/conversations/{conversation_id}", new GetConversationRoute(store))
                .add("GET", "/v1/conversations/{conversation_id}/messages", new ListMessagesRoute(store, store))
                .add("POST", "/v1/conversations/{conversation_id}/messages/append", new AppendMessagesRoute(store, store))
                .add("GET", "/v1/conversations/{conversation_id}/compactions", new ListCompactionsRoute(store, store, store))
                .add("POST", "/v1/conversations/{conversation_id}/compactions/{generation}/revert", new RevertCompactionRoute(store, services.events()))
                .add("POST", CompactRoute.RESOURCE, compact)
                .add("GET", "/v1/compactions/{job_id}", new GetCompactionJobRoute(jobs))
                .add("GET", "/v1/usage", new UsageRoute(services.usage(), clock))
                .add("POST", SummarizeAgentRoute.RESOURCE, new SummarizeAgentRoute(store, store, compact))
                .add("GET", "/v1/agents/{agent_id}/messages", new ListAgentMessagesRoute(store, store))
                .add("GET", "/v1/conversations", new ListConversationsRoute(store))
                .add("PATCH", "/v1/conversations/{conversation_id}", new UpdateConversationRoute(store, store, store))
                .add("DELETE", "/v1/conversations/{conversation_id}", new PurgeOrSoftDeleteRoute(
                        (request, context) -> purger.purge(context, PathIds.conversationId(request)), new DeleteConversationRoute(store)))
                .add("POST", "/v1/conversations/{conversation_id}/fork", new ForkConversationRoute(store, store, store))
                .add("GET", "/v1/agents", new ListAgentsRoute(store))
                .add("DELETE", "/v1/agents/{agent_id}", new PurgeOrSoftDeleteRoute(
                        (request, context) -> agentPurger.purge(context, PathIds.agentId(request)), new DeleteAgentRoute(store)))
                .add("GET", GetContextRoute.RESOURCE, new GetContextRoute(store, store))
                .add("GET", "/v1/conversations/{conversation_id}/purge", new GetPurgeRoute(purger))
                .add("GET", "/v1/agents/{agent_id}/purge", new GetAgentPurgeRoute(agentPurger));
        Core.getGlobalContext().register(this);
    }

    /** Every route the handler answers: what the template's API events must bring to it. */
    public List<ServedRoute> routes() {
        return router.routes();
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        ApiResponse response = handle(input.readAllBytes(), context == null ? null : context.getAwsRequestId(),
                lambdaDeadline(context, gatewayTimeout));
        output.write(LambdaEventJson.write(response.toEvent()));
    }

    /** Handles one proxy event as the runtime delivers it (JSON bytes). */
    ApiResponse handle(byte[] event, String lambdaRequestId, Instant deadline) {
        APIGatewayProxyRequestEvent parsed;
        try {
            parsed = LambdaEventJson.read(event, APIGatewayProxyRequestEvent.class);
        } catch (JsonSyntaxException e) {
            return badEvent(e);
        }
        return handle(parsed, lambdaRequestId, deadline);
    }

    /** Handles one proxy event given as JSON text (tests and tools). */
    public ApiResponse handle(String eventJson, String lambdaRequestId, Instant deadline) {
        return handle(eventJson.getBytes(StandardCharsets.UTF_8), lambdaRequestId, deadline);
    }

    private static ApiResponse badEvent(RuntimeException e) {
        Log.error("api.bad_event", "error", e.getClass().getSimpleName());
        return ApiResponse.json(400, new ErrorResponses.Detail("The function received an event that is not an API Gateway proxy event"));
    }

    /**
     * Handles one proxy event and returns the proxy response.
     *
     * @param deadline the Lambda's own deadline; a request API Gateway received earlier is held to
     *     the gateway's timeout as well
     */
    public ApiResponse handle(APIGatewayProxyRequestEvent event, String lambdaRequestId, Instant deadline) {
        long started = System.nanoTime();
        Instant startedAt = clock.instant();
        ApiRequest request;
        try {
            request = ApiRequest.fromEvent(event);
        } catch (IllegalArgumentException e) {
            return badEvent(e);
        }
        String requestId = requestId(request.requestId(), lambdaRequestId);
        String route = request.method() + " " + (request.resource() == null ? request.path() : request.resource());
        RequestLog log = new RequestLog();
        String tenant = null;
        ApiResponse response;
        try {
            Router.Match match = router.match(request);
            route = match.request().method() + " " + match.request().resource();
            tenant = tenant(request);
            RequestContext context = new RequestContext(tenant, requestId, startedAt,
                    deadline(deadline, request.requestTimeEpoch(), startedAt, gatewayTimeout), log);
            response = match.route().handle(match.request(), context);
        } catch (RuntimeException e) {
            response = ErrorResponses.of(e, requestId.replace("-", ""));
            log.put("error", ErrorResponses.type(e, response.status()));
            if (response.status() >= 500) {
                Log.error("api.failure", "request_id", requestId, "route", route, "error", e.getClass().getName(),
                        "at", e.getStackTrace().length > 0 ? e.getStackTrace()[0].toString() : "");
            }
        }
        long durationMs = (System.nanoTime() - started) / 1_000_000;
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("request_id", requestId);
        line.put("trace_id", traceId());
        line.put("tenant", tenant);
        line.put("route", route);
        line.put("status", response.status());
        line.put("duration_ms", durationMs);
        log.appendTo(line);
        line.values().removeIf(v -> v == null);
        Log.info("api.request", line);
        if (log.compaction()) {
            metrics.record(log.facts(requestId, tenant, response.status(), durationMs), log.report());
        }
        return RetryAdvice.advise(response).withHeader("x-request-id", requestId);
    }

    /** API Gateway's request id; else Lambda's; else a new one. */
    private static String requestId(String fromGateway, String fromLambda) {
        if (fromGateway != null && REQUEST_ID.matcher(fromGateway).matches()) {
            return fromGateway;
        }
        return fromLambda != null && REQUEST_ID.matcher(fromLambda).matches() ? fromLambda : UUID.randomUUID().toString();
    }

    /**
     * The authorizer's tenant. Without one (no authorizer ran: a local run, or a hand-made event),
     * {@code DEFAULT_TENANT}; the cloud sets none, so there such a request is refused.
     */
    private String tenant(ApiRequest request) {
        String tenant = request.authorizerTenant() == null ? defaultTenant : request.authorizerTenant();
        if (tenant == null) {
            throw new IllegalStateException("request without an authorizer tenant, and no " + Env.DEFAULT_TENANT);
        }
        if (!Tenants.valid(tenant)) {
            throw new IllegalStateException("authorizer produced an invalid tenant id");
        }
        return tenant;
    }

    /**
     * {@code INTEGRATION_TIMEOUT_SECONDS}, a whole number of seconds from 1 to 900 (Lambda's
     * longest run); REST's default 29 when unset.
     */
    static Duration gatewayTimeout(Env env) {
        double seconds = env.number(Env.INTEGRATION_TIMEOUT_SECONDS, GATEWAY_TIMEOUT.toSeconds());
        if (seconds != Math.rint(seconds) || seconds < 1 || seconds > 900) {
            throw new IllegalStateException(Env.INTEGRATION_TIMEOUT_SECONDS + " must be a whole number of seconds from 1 to 900, got "
                    + env.get(Env.INTEGRATION_TIMEOUT_SECONDS));
        }
        return Duration.ofSeconds((long) seconds);
    }

    /** Without a Lambda context (tests, tools), the gateway's timeout less the reserve. */
    static Instant lambdaDeadline(Context context, Duration gatewayTimeout) {
        Instant now = Instant.now();
        if (context == null) {
            return now.plus(gatewayTimeout.minus(RESPONSE_RESERVE));
        }
        return now.plusMillis(context.getRemainingTimeInMillis()).minus(RESPONSE_RESERVE);
    }

    /**
     * The work's deadline: the Lambda's, and for a request API Gateway received less than its
     * timeout ago, also the gateway's cut-off less the reserve, so the answer (or a clean error)
     * reaches the gateway before it gives up on the integration. A request time further back than
     * the gateway would wait cannot come from a live gateway (a replayed or hand-written event):
     * only the Lambda's deadline applies then.
     */
    static Instant deadline(Instant lambdaDeadline, Long requestTimeEpoch, Instant now, Duration gatewayTimeout) {
        if (requestTimeEpoch == null) {
            return lambdaDeadline;
        }
        Instant gatewayCutOff = Instant.ofEpochMilli(requestTimeEpoch).plus(gatewayTimeout);
        if (gatewayCutOff.isBefore(now)) {
            return lambdaDeadline;
        }
        Instant gatewayDeadline = gatewayCutOff.minus(RESPONSE_RESERVE);
        return gatewayDeadline.isBefore(lambdaDeadline) ? gatewayDeadline : lambdaDeadline;
    }

    /** The X-Ray trace root of this invocation (set by the Lambda runtime when tracing is on), or null. */
    private static String traceId() {
        String header = System.getProperty("com.amazonaws.xray.traceHeader");
        if (header == null) {
            return null;
        }
        for (String part : header.split(";")) {
            if (part.startsWith("Root=")) {
                return part.substring(5);
            }
        }
        return null;
    }

    /**
     * Before the SnapStart snapshot: run the request path once (reading the proxy event type,
     * routing, validation, a dry run's target lookup, error mapping, writing the response event), build the default summarizer's client
     * and write and read the providers' wire bodies (see {@code Services.primeSummarizers}), so the
     * first request after a restore pays for neither. The lookup reads a key that cannot exist,
     * and a dry run writes nothing, not even usage. Failures are ignored because priming is only
     * an optimisation.
     */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        try {
            ApiResponse primed = handle("{\"resource\":\"" + CompactRoute.RESOURCE + "\",\"httpMethod\":\"POST\",\"pathParameters\":"
                    + "{\"conversation_id\":\"conv-00000000-0000-4000-8000-000000000000\"},"
                    + "\"queryStringParameters\":{\"dry_run\":\"true\"},"
                    + "\"requestContext\":{\"requestId\":\"snapstart-priming\",\"authorizer\":{\"tenant\":\"priming\"}},"
                    + "\"body\":\"{\\\"compaction_settings\\\":{\\\"mode\\\":\\\"all\\\"}}\"}", null, Instant.now().plusSeconds(5));
            LambdaEventJson.write(primed.toEvent());
            services.primeSummarizers();
        } catch (RuntimeException e) {
            Log.warn("snapstart.priming_failed", "error", e.getClass().getSimpleName());
        }
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // Nothing to refresh: the HTTP clients reopen stale connections on first use.
    }
}
