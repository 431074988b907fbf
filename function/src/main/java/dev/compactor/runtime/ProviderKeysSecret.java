package dev.compactor.runtime;

import dev.compactor.json.Json;
import dev.compactor.llm.LlmException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * Reads the provider-keys secret: one Secrets Manager secret whose JSON object maps the vendors'
 * variable names to values ({@code {"ANTHROPIC_API_KEY": "…", "OPENAI_API_KEY": "…"}}). It is a
 * single {@code GetSecretValue} call through {@link AwsJsonClient}, instead of the Secrets Manager
 * SDK module, which would add 0.7 MB to the artifact for this one call. The value is never logged.
 */
final class ProviderKeysSecret implements Supplier<Map<String, String>> {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final String secretId;
    private final AwsJsonClient secretsManager;

    /**
     * @param secretId the secret's ARN or name, or null when none is configured
     * @param endpoint the Secrets Manager endpoint override, or null for the regional endpoint
     */
    ProviderKeysSecret(String secretId, String region, URI endpoint, AwsCredentialsProvider credentials) {
        this.secretId = secretId;
        this.secretsManager = new AwsJsonClient("secretsmanager", "1.1", region, endpoint, credentials, TIMEOUT);
    }

    @Override
    public Map<String, String> get() {
        if (secretId == null) {
            return Map.of();
        }
        HttpResponse<String> response;
        try {
            response = secretsManager.post("secretsmanager.GetSecretValue", Json.write(Map.of("SecretId", secretId)));
        } catch (IOException e) {
            throw failure("Secrets Manager could not be reached (" + e.getClass().getSimpleName() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("interrupted while reading the provider-keys secret", e);
        }
        Map<String, Object> answer = parse(response.body());
        if (response.statusCode() != 200) {
            throw failure("Secrets Manager answered " + response.statusCode() + " " + answer.getOrDefault("__type", ""), null);
        }
        if (!(answer.get("SecretString") instanceof String secret)) {
            throw failure("the provider-keys secret has no SecretString", null);
        }
        return values(secret);
    }

    private static Map<String, String> values(String secret) {
        Map<String, Object> json;
        try {
            json = Json.parseObject(secret);
        } catch (RuntimeException e) {
            throw failure("the provider-keys secret is not a JSON object of variable names and values", null);
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : json.entrySet()) {
            if (e.getValue() instanceof String s) {
                values.put(e.getKey(), s);
            } else if (e.getValue() instanceof Map<?, ?> || e.getValue() instanceof List<?>) {
                // A service-account JSON may be stored as an object rather than as a string.
                values.put(e.getKey(), Json.write(e.getValue()));
            }
        }
        return values;
    }

    private static Map<String, Object> parse(String body) {
        try {
            return Json.parseObject(body);
        } catch (RuntimeException e) {
            return Map.of();
        }
    }

    private static LlmException failure(String message, Throwable cause) {
        return new LlmException(LlmException.Kind.AUTHENTICATION, "secretsmanager",
                "Cannot read the provider keys: " + message, cause);
    }
}
