package dev.compactor.access;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.compactor.app.Services;
import dev.compactor.conversation.ApiKeyStore;
import dev.compactor.support.Json;
import dev.compactor.support.Env;
import dev.compactor.support.Log;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.crac.Core;
import org.crac.Resource;

/**
 * API Gateway's Lambda REQUEST authorizer: finds the caller's API key (see
 * {@link ApiKeyCredentials}), looks up its tenant by the key's hash, and answers with a policy
 * allowing the request, the tenant in the authorizer context (the API function reads
 * {@code requestContext.authorizer.tenant}) and the key as {@code usageIdentifierKey}, so that the
 * usage plan throttles and counts the key the caller sent (the API's key source is
 * {@code AUTHORIZER}). A request without a registered key is answered 401 by API Gateway
 * (the function fails with {@code Unauthorized}). Keys are never logged, only a hash prefix.
 */
public final class ApiKeyAuthorizer implements RequestStreamHandler, Resource {
    /** The message API Gateway turns into a 401 without calling the API. */
    static final String UNAUTHORIZED = "Unauthorized";

    private final ApiKeyStore keys;

    /** Used by the Lambda runtime. */
    public ApiKeyAuthorizer() {
        this(Env.system());
    }

    /** Used by the local runtime, which passes the environment a deployed function would see. */
    public ApiKeyAuthorizer(Map<String, String> environment) {
        this(new Env(environment));
    }

    private ApiKeyAuthorizer(Env env) {
        this(Services.apiKeys(env));
    }

    public ApiKeyAuthorizer(ApiKeyStore keys) {
        this.keys = keys;
        Core.getGlobalContext().register(this);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Map<String, Object> event = Json.parseObject(new String(input.readAllBytes(), StandardCharsets.UTF_8));
        output.write(Json.write(authorize(event)).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The authorizer's answer to a REQUEST event.
     *
     * @throws UnauthorizedException when the request has no registered key
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> authorize(Map<String, Object> event) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (event.get("headers") instanceof Map<?, ?> h) {
            h.forEach((k, v) -> headers.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
        }
        ApiKeyCredentials.Result credentials = ApiKeyCredentials.from(headers);
        if (credentials.key() == null) {
            Log.info("auth.denied", "reason", ApiKeyCredentials.name(credentials.problem()));
            throw new UnauthorizedException();
        }
        Optional<String> tenant = keys.tenantOf(credentials.key());
        if (tenant.isEmpty() || !Tenants.valid(tenant.get())) {
            Log.info("auth.denied", "reason", tenant.isEmpty() ? "unknown_key" : "invalid_tenant",
                    "key_fingerprint", ApiKeyStore.fingerprint(credentials.key()));
            throw new UnauthorizedException();
        }
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("Action", "execute-api:Invoke");
        statement.put("Effect", "Allow");
        statement.put("Resource", String.valueOf(event.get("methodArn")));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("principalId", tenant.get());
        answer.put("policyDocument", Map.of("Version", "2012-10-17", "Statement", List.of(statement)));
        answer.put("context", Map.of("tenant", tenant.get(), "key_fingerprint", ApiKeyStore.fingerprint(credentials.key())));
        answer.put("usageIdentifierKey", credentials.key());
        return answer;
    }

    /**
     * Before the SnapStart snapshot: look up a key that cannot be registered, which opens the
     * DynamoDB connection and loads the lookup path. Failures are ignored: priming is only an optimisation.
     */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        try {
            keys.tenantOf("snapstart-priming-key-never-registered");
        } catch (RuntimeException e) {
            Log.warn("snapstart.priming_failed", "error", e.getClass().getSimpleName());
        }
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // Nothing to refresh: the HTTP client reopens stale connections on first use.
    }

    /** Fails the invocation with the message API Gateway answers as 401. */
    public static final class UnauthorizedException extends RuntimeException {
        UnauthorizedException() {
            super(UNAUTHORIZED);
        }
    }
}
