package dev.compactor.runtime;

import dev.compactor.json.Json;
import dev.compactor.llm.LlmException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;

/**
 * Reads the provider-keys secret: one Secrets Manager secret whose JSON object maps the vendors'
 * variable names to values ({@code {"ANTHROPIC_API_KEY": "…", "OPENAI_API_KEY": "…"}}). It is a
 * single {@code GetSecretValue} call, signed with the SDK's SigV4 signer (already in the
 * artifact) and sent with the JDK HTTP client, instead of the Secrets Manager SDK module, which
 * would add 0.7 MB to the artifact for this one call. The value is never logged.
 */
final class ProviderKeysSecret implements Supplier<Map<String, String>> {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Set<String> SET_BY_JDK = Set.of("host", "content-length");

    private final String secretId;
    private final String region;
    private final URI endpoint;
    private final AwsCredentialsProvider credentials;

    /**
     * @param secretId the secret's ARN or name, or null when none is configured
     * @param endpoint the Secrets Manager endpoint override, or null for the regional endpoint
     */
    ProviderKeysSecret(String secretId, String region, URI endpoint, AwsCredentialsProvider credentials) {
        this.secretId = secretId;
        this.region = region;
        this.endpoint = endpoint;
        this.credentials = credentials;
    }

    @Override
    public Map<String, String> get() {
        if (secretId == null) {
            return Map.of();
        }
        byte[] body = Json.write(Map.of("SecretId", secretId)).getBytes(StandardCharsets.UTF_8);
        URI uri = endpoint != null ? endpoint : URI.create("https://secretsmanager." + region + ".amazonaws.com"
                + (region.startsWith("cn-") ? ".cn" : "") + "/");
        SdkHttpRequest unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(uri)
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", "secretsmanager.GetSecretValue")
                .build();
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(credentials.resolveCredentials())
                .request(unsigned)
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "secretsmanager")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)).request();
        HttpRequest.Builder request = HttpRequest.newBuilder(signed.getUri()).timeout(TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        signed.forEachHeader((name, values) -> {
            if (!SET_BY_JDK.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> request.header(name, v));
            }
        });
        HttpResponse<String> response;
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build()) {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
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
