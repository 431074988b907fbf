package dev.compactor.local.emulator;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.compactor.local.runtime.AuthorizerPolicy;
import dev.compactor.local.runtime.FunctionHost;
import dev.compactor.local.runtime.RuntimeSerialization;
import dev.compactor.local.runtime.SamTemplate;
import dev.compactor.support.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serves the template's API routes over HTTP the way API Gateway's REST proxy integration does:
 * each request becomes a payload-1.0 proxy event for the route's function, and the function's
 * proxy response becomes the HTTP response. As in API Gateway, a path's explicit methods come
 * before its {@code ANY} method, and a request no method takes (an unknown path, or a method the
 * path lacks) gets the template's {@code MISSING_AUTHENTICATION_TOKEN} gateway response, else API
 * Gateway's default 403 "Missing Authentication Token".
 *
 * <p>With authorizers on, a route's Lambda REQUEST authorizer runs first, as in API Gateway: its
 * failure with {@code Unauthorized} is a 401, any other failure a 500, a policy that does not
 * allow the method a 403, and an allowed request reaches the function with the authorizer's
 * context (and principal) in {@code requestContext.authorizer}. Usage plans are not emulated:
 * the key the authorizer hands on is not throttled or counted.
 */
public final class ApiGatewayEmulator implements AutoCloseable {
    static final String STAGE = "prod";
    static final String ACCOUNT = "000000000000";
    static final String API_ID = "local";
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.US).withZone(ZoneOffset.UTC);

    /** @param authorizer the authorizer function of the route, or null */
    private record Binding(String function, String method, String resource, Pattern pattern, List<String> params, int literals,
                           String authorizer) {}

    private final FunctionHost host;
    private final boolean authorizers;
    private final List<Binding> bindings = new ArrayList<>();
    private final SamTemplate.GatewayResponse missingRoute;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(16);

    /** Without authorizers: every request reaches its function (whose {@code DEFAULT_TENANT} then applies). */
    public ApiGatewayEmulator(FunctionHost host, String bindHost, int port) throws IOException {
        this(host, bindHost, port, false);
    }

    /**
     * @param host the functions; closed with this emulator
     * @param authorizers whether the routes' Lambda authorizers run before their functions
     */
    public ApiGatewayEmulator(FunctionHost host, String bindHost, int port, boolean authorizers) throws IOException {
        this.host = host;
        this.authorizers = authorizers;
        for (SamTemplate.Function f : host.template().functions()) {
            for (SamTemplate.Route r : f.routes()) {
                bindings.add(bind(f.logicalId(), r, host.template().authorizerFunction(f.logicalId(), r)));
            }
        }
        // Most specific path first (more literal characters), and of one path its explicit methods before ANY.
        bindings.sort(Comparator.comparingInt(Binding::literals).reversed().thenComparing(b -> b.method().equals(SamTemplate.Route.ANY)));
        missingRoute = host.template().gatewayResponse("MISSING_AUTHENTICATION_TOKEN")
                .orElse(new SamTemplate.GatewayResponse(403, "{\"message\":\"Missing Authentication Token\"}"));
        server = HttpServer.create(new InetSocketAddress(bindHost, port), 64);
        server.createContext("/", this::serve);
        server.setExecutor(executor);
    }

    public void start() {
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Every route served, as {@code METHOD /path}. */
    public List<String> routes() {
        return bindings.stream().map(b -> b.method() + " " + b.resource()).sorted().toList();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        host.close();
    }

    private static Binding bind(String function, SamTemplate.Route route, String authorizer) {
        Matcher m = Pattern.compile("\\{([^}]+)}").matcher(route.path());
        StringBuilder regex = new StringBuilder("^");
        List<String> params = new ArrayList<>();
        int last = 0;
        int literals = 0;
        while (m.find()) {
            String literal = route.path().substring(last, m.start());
            literals += literal.length();
            regex.append(Pattern.quote(literal));
            String name = m.group(1);
            if (name.endsWith("+")) {
                params.add(name.substring(0, name.length() - 1));
                regex.append("(.+?)");
            } else {
                params.add(name);
                regex.append("([^/]+)");
            }
            last = m.end();
        }
        String tail = route.path().substring(last);
        literals += tail.length();
        regex.append(Pattern.quote(tail)).append("/?$");
        return new Binding(function, route.method(), route.path(), Pattern.compile(regex.toString()), params, literals, authorizer);
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            String path = uri.getRawPath();
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            Binding matched = null;
            Matcher matcher = null;
            for (Binding b : bindings) {
                Matcher m = b.pattern().matcher(path);
                if (m.matches() && (b.method().equals(method) || b.method().equals(SamTemplate.Route.ANY))) {
                    matched = b;
                    matcher = m;
                    break;
                }
            }
            if (matched == null) {
                send(exchange, missingRoute.status(), Map.of("Content-Type", "application/json"), missingRoute.body());
                return;
            }
            Map<String, String> pathParameters = new LinkedHashMap<>();
            for (int i = 0; i < matched.params().size(); i++) {
                pathParameters.put(matched.params().get(i), URLDecoder.decode(matcher.group(i + 1), StandardCharsets.UTF_8));
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            APIGatewayProxyRequestEvent event = event(exchange, matched, method, path, uri.getRawQuery(), pathParameters, body);
            if (authorizers && matched.authorizer() != null && !authorize(exchange, matched, event)) {
                return;
            }
            String responseJson = host.invoke(matched.function(), RuntimeSerialization.write(event, APIGatewayProxyRequestEvent.class));
            respond(exchange, responseJson);
        } catch (RuntimeException e) {
            // API Gateway's answer when the integration fails.
            System.err.println("local api: integration failed: " + e);
            send(exchange, 502, Map.of("Content-Type", "application/json"), "{\"message\": \"Internal server error\"}");
        }
    }

    /**
     * Runs the route's authorizer on the request and, when it allows it, puts its context into
     * the proxy event; otherwise answers as API Gateway does.
     *
     * @return whether the request may go on to the function
     */
    private boolean authorize(HttpExchange exchange, Binding binding, APIGatewayProxyRequestEvent proxyEvent) throws IOException {
        APIGatewayProxyRequestEvent.ProxyRequestContext context = proxyEvent.getRequestContext();
        String methodArn = "arn:aws:execute-api:us-east-1:" + ACCOUNT + ":" + API_ID + "/" + STAGE + "/" + context.getHttpMethod()
                + proxyEvent.getPath();
        APIGatewayCustomAuthorizerEvent authorizerEvent = APIGatewayCustomAuthorizerEvent.builder()
                .withType("REQUEST")
                .withMethodArn(methodArn)
                .withResource(proxyEvent.getResource())
                .withPath(proxyEvent.getPath())
                .withHttpMethod(proxyEvent.getHttpMethod())
                .withHeaders(proxyEvent.getHeaders())
                .withQueryStringParameters(proxyEvent.getQueryStringParameters())
                .withPathParameters(proxyEvent.getPathParameters())
                .withStageVariables(proxyEvent.getStageVariables())
                .withRequestContext(APIGatewayCustomAuthorizerEvent.RequestContext.builder()
                        .withAccountId(context.getAccountId())
                        .withApiId(context.getApiId())
                        .withResourcePath(context.getResourcePath())
                        .withHttpMethod(context.getHttpMethod())
                        .withPath(context.getPath())
                        .withStage(context.getStage())
                        .withRequestId(context.getRequestId())
                        .build())
                .build();
        Map<String, Object> answer;
        try {
            answer = Json.parseObject(host.invoke(binding.authorizer(),
                    RuntimeSerialization.write(authorizerEvent, APIGatewayCustomAuthorizerEvent.class)));
        } catch (RuntimeException e) {
            if ("Unauthorized".equals(e.getMessage())) {
                send(exchange, 401, Map.of("Content-Type", "application/json"), "{\"message\":\"Unauthorized\"}");
            } else {
                System.err.println("local api: authorizer failed: " + e);
                send(exchange, 500, Map.of("Content-Type", "application/json"), "{\"message\":null}");
            }
            return false;
        }
        String effect = AuthorizerPolicy.effect(answer.get("policyDocument"), methodArn);
        if (!"Allow".equals(effect)) {
            send(exchange, 403, Map.of("Content-Type", "application/json"), "Deny".equals(effect)
                    ? "{\"Message\":\"User is not authorized to access this resource with an explicit deny\"}"
                    : "{\"Message\":\"User is not authorized to access this resource\"}");
            return false;
        }
        if (!(answer.get("usageIdentifierKey") instanceof String key) || key.isEmpty()) {
            // The API's key source is the authorizer, and every method requires a key.
            send(exchange, 403, Map.of("Content-Type", "application/json"), "{\"message\":\"Forbidden\"}");
            return false;
        }
        Map<String, Object> authorizer = new LinkedHashMap<>();
        if (answer.get("context") instanceof Map<?, ?> values) {
            values.forEach((k, v) -> authorizer.put(String.valueOf(k), String.valueOf(v)));
        }
        authorizer.put("principalId", String.valueOf(answer.get("principalId")));
        context.setAuthorizer(authorizer);
        context.getIdentity().setApiKey(key);
        return true;
    }

    private static APIGatewayProxyRequestEvent event(HttpExchange exchange, Binding binding, String method, String path,
                                                     String rawQuery, Map<String, String> pathParameters, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        Map<String, List<String>> multiHeaders = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            headers.put(name, values.get(values.size() - 1));
            multiHeaders.put(name, values);
        });
        Map<String, String> query = new LinkedHashMap<>();
        Map<String, List<String>> multiQuery = new LinkedHashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                query.put(key, value);
                multiQuery.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
            }
        }
        Instant now = Instant.now();
        APIGatewayProxyRequestEvent.RequestIdentity identity = new APIGatewayProxyRequestEvent.RequestIdentity()
                .withSourceIp(exchange.getRemoteAddress().getAddress().getHostAddress())
                .withUserAgent(headers.get("User-agent"));
        APIGatewayProxyRequestEvent.ProxyRequestContext context = new APIGatewayProxyRequestEvent.ProxyRequestContext()
                .withAccountId(ACCOUNT)
                .withApiId(API_ID)
                .withResourcePath(binding.resource())
                .withHttpMethod(method)
                .withPath("/" + STAGE + path)
                .withStage(STAGE)
                .withProtocol(exchange.getProtocol())
                .withRequestId(UUID.randomUUID().toString())
                .withRequestTime(REQUEST_TIME.format(now))
                .withRequestTimeEpoch(now.toEpochMilli())
                .withIdentity(identity);
        boolean text = isText(body);
        return new APIGatewayProxyRequestEvent()
                .withResource(binding.resource())
                .withPath(path)
                .withHttpMethod(method)
                .withHeaders(headers.isEmpty() ? null : headers)
                .withMultiValueHeaders(multiHeaders.isEmpty() ? null : multiHeaders)
                .withQueryStringParameters(query.isEmpty() ? null : query)
                .withMultiValueQueryStringParameters(multiQuery.isEmpty() ? null : multiQuery)
                .withPathParameters(pathParameters.isEmpty() ? null : pathParameters)
                .withRequestContext(context)
                .withBody(body.length == 0 ? null : text ? new String(body, StandardCharsets.UTF_8)
                        : Base64.getEncoder().encodeToString(body))
                .withIsBase64Encoded(body.length > 0 && !text);
    }

    private static boolean isText(byte[] body) {
        return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(body), java.nio.CharBuffer.allocate(body.length + 1), true).isUnderflow();
    }

    /** The proxy response event, read as API Gateway reads it. */
    private static void respond(HttpExchange exchange, String responseJson) throws IOException {
        APIGatewayProxyResponseEvent response = RuntimeSerialization.read(responseJson, APIGatewayProxyResponseEvent.class);
        int status = response.getStatusCode() == null ? 200 : response.getStatusCode();
        Map<String, String> headers = new LinkedHashMap<>();
        if (response.getHeaders() != null) {
            headers.putAll(response.getHeaders());
        }
        String body = response.getBody();
        byte[] bytes = body == null ? new byte[0]
                : Boolean.TRUE.equals(response.getIsBase64Encoded()) ? Base64.getDecoder().decode(body)
                : body.getBytes(StandardCharsets.UTF_8);
        send(exchange, status, headers, bytes);
    }

    private static void send(HttpExchange exchange, int status, Map<String, String> headers, String body) throws IOException {
        send(exchange, status, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, Map<String, String> headers, byte[] body) throws IOException {
        headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        // An answer to HEAD carries the headers alone, whatever body the function returned.
        boolean bodyless = body.length == 0 || exchange.getRequestMethod().equalsIgnoreCase("HEAD");
        exchange.sendResponseHeaders(status, bodyless ? -1 : body.length);
        if (!bodyless) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
