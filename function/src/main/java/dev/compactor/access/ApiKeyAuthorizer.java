package dev.compactor.access;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.compactor.app.Services;
import dev.compactor.conversation.ApiKeyStore;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
import dev.compactor.support.LambdaEventJson;
import dev.compactor.support.Env;
import dev.compactor.support.Log;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
    private static final String PRIMING_KEY = "snapstart-priming-key-never-registered";
    private static final String PRIMING_ARN = "arn:aws:execute-api:us-east-1:000000000000:priming/prime/GET/priming";

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
        APIGatewayCustomAuthorizerEvent event = LambdaEventJson.read(input.readAllBytes(), APIGatewayCustomAuthorizerEvent.class);
        output.write(LambdaEventJson.write(authorize(event)));
    }

    /**
     * The authorizer's answer to a REQUEST event.
     *
     * @throws UnauthorizedException when the request has no registered key
     */
    public IamPolicyResponseV1 authorize(APIGatewayCustomAuthorizerEvent event) {
        ApiKeyCredentials.Result credentials = ApiKeyCredentials.from(event.getHeaders());
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
        return allow(tenant.get(), event.getMethodArn(), credentials.key());
    }

    /** The policy allowing the request, with the tenant in the context and the key to meter. */
    private static IamPolicyResponseV1 allow(String tenant, String methodArn, String key) {
        Map<String, Object> context = new LinkedHashMap<>(); // the event type's context: values API Gateway passes on
        context.put("tenant", tenant);
        context.put("key_fingerprint", ApiKeyStore.fingerprint(key));
        return IamPolicyResponseV1.builder()
                .withPrincipalId(tenant)
                .withPolicyDocument(IamPolicyResponseV1.PolicyDocument.builder()
                        .withVersion(IamPolicyResponseV1.VERSION_2012_10_17)
                        .withStatement(List.of(IamPolicyResponseV1.allowStatement(String.valueOf(methodArn))))
                        .build())
                .withContext(context)
                .withUsageIdentifierKey(key)
                .build();
    }

    /**
     * Before the SnapStart snapshot: look up a key that cannot be registered, which opens the
     * DynamoDB connection and loads the lookup path, through the event type's reading; then write a
     * policy, so both event types' Jackson (de)serializers are built before the snapshot. Failures
     * are ignored: priming is only an optimisation.
     */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        try {
            try {
                authorize(LambdaEventJson.read("{\"type\":\"REQUEST\",\"methodArn\":\"" + PRIMING_ARN + "\","
                        + "\"headers\":{\"x-api-key\":\"" + PRIMING_KEY + "\"}}", APIGatewayCustomAuthorizerEvent.class));
            } catch (UnauthorizedException expected) {
                // The key is not registered: the event was read and the lookup ran.
            }
            LambdaEventJson.write(allow("priming", PRIMING_ARN, PRIMING_KEY));
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
