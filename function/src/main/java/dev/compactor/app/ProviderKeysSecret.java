package dev.compactor.app;

import dev.compactor.support.Json;
import dev.compactor.llm.LlmException;
import dev.compactor.support.AwsJsonCall;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Reads the provider keys: one JSON object mapping the vendors' variable names to values
 * ({@code {"ANTHROPIC_API_KEY": "…", "OPENAI_API_KEY": "…"}}), kept in a Secrets Manager secret
 * or an SSM Parameter Store parameter (a SecureString), named by ARN. One signed call (see
 * {@link AwsJsonCall}); the value is never logged.
 */
final class ProviderKeysSecret implements Supplier<Map<String, String>> {
    private final String source;
    private final String target;
    private final Map<String, Object> request;
    private final Function<Map<String, Object>, Object> value;
    private final AwsJsonCall call;

    private ProviderKeysSecret(String source, String target, Map<String, Object> request,
                               Function<Map<String, Object>, Object> value, AwsJsonCall call) {
        this.source = source;
        this.target = target;
        this.request = request;
        this.value = value;
        this.call = call;
    }

    /** {@code GetSecretValue} of the secret: its {@code SecretString}. */
    static ProviderKeysSecret secretsManager(String secretArn, AwsJsonCall call) {
        return new ProviderKeysSecret("secretsmanager", "secretsmanager.GetSecretValue", Map.of("SecretId", secretArn),
                answer -> answer.get("SecretString"), call);
    }

    /** {@code GetParameter} with decryption: the parameter's {@code Value}. */
    static ProviderKeysSecret parameterStore(String parameterArn, AwsJsonCall call) {
        return new ProviderKeysSecret("ssm", "AmazonSSM.GetParameter", Map.of("Name", parameterArn, "WithDecryption", true),
                answer -> answer.get("Parameter") instanceof Map<?, ?> parameter ? parameter.get("Value") : null, call);
    }

    @Override
    public Map<String, String> get() {
        AwsJsonCall.Response response;
        try {
            response = call.post("/", Map.of("Content-Type", "application/x-amz-json-1.1", "X-Amz-Target", target), request);
        } catch (IOException e) {
            throw failure(source + " could not be reached (" + e.getClass().getSimpleName() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("interrupted while reading the provider keys", e);
        }
        if (response.status() != 200) {
            throw failure(source + " answered " + response.status() + " " + response.json().getOrDefault("__type", ""), null);
        }
        if (!(value.apply(response.json()) instanceof String text)) {
            throw failure("the " + source + " answer holds no value", null);
        }
        return values(text);
    }

    private Map<String, String> values(String text) {
        Map<String, Object> json;
        try {
            json = Json.parseObject(text);
        } catch (RuntimeException e) {
            throw failure("the provider keys in " + source + " are not a JSON object of variable names and values", null);
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

    private LlmException failure(String message, Throwable cause) {
        return new LlmException(LlmException.Kind.AUTHENTICATION, source, "Cannot read the provider keys: " + message, cause);
    }
}
