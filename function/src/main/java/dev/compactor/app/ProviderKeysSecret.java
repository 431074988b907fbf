package dev.compactor.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.compactor.llm.LlmException;
import dev.compactor.support.AwsFailures;
import dev.compactor.support.AwsJsonCall;
import dev.compactor.support.Backoff;
import dev.compactor.support.JsonMapper;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Reads the provider keys: one JSON object mapping the vendors' variable names to values
 * ({@code {"ANTHROPIC_API_KEY": "…", "OPENAI_API_KEY": "…"}}), kept in a Secrets Manager secret
 * (read with the SDK's client) or an SSM Parameter Store parameter (a SecureString, read with one
 * signed call, see {@link AwsJsonCall}), named by ARN. The value is never logged.
 */
final class ProviderKeysSecret implements Supplier<Map<String, String>> {
    static final int MAX_ATTEMPTS = AwsJsonCall.MAX_ATTEMPTS;

    /** One read of the stored text; throws {@link LlmException} when it fails for good. */
    private interface Reader {
        String read();
    }

    private final String source;
    private final Reader reader;

    private ProviderKeysSecret(String source, Reader reader) {
        this.source = source;
        this.reader = reader;
    }

    /**
     * {@code GetSecretValue} of the secret: its {@code SecretString}. The client is built on the
     * first read, so a container whose keys all come from the environment never builds it.
     */
    static ProviderKeysSecret secretsManager(String secretArn, Supplier<SecretsManagerClient> client) {
        return new ProviderKeysSecret("secretsmanager", new SecretsManagerReader(secretArn, client));
    }

    private static final class SecretsManagerReader implements Reader {
        private static final String SOURCE = "secretsmanager";
        private final String secretArn;
        private final Supplier<SecretsManagerClient> build;
        private SecretsManagerClient client;

        SecretsManagerReader(String secretArn, Supplier<SecretsManagerClient> build) {
            this.secretArn = secretArn;
            this.build = build;
        }

        /** Synchronized: the provider-keys reader runs once at a time, and the client is built once. */
        @Override
        public synchronized String read() {
            if (client == null) {
                client = build.get();
            }
            for (int attempt = 1; ; attempt++) {
                try {
                    return client.getSecretValue(r -> r.secretId(secretArn)).secretString();
                } catch (SdkException e) {
                    if (!AwsFailures.isTransient(e) || attempt == MAX_ATTEMPTS) {
                        throw failure(SOURCE, SOURCE + (e instanceof AwsServiceException ? " answered " : " could not be reached: ")
                                + AwsFailures.describe(e), e);
                    }
                }
                pause(SOURCE, attempt);
            }
        }
    }

    /** {@code GetParameter} with decryption: the parameter's {@code Value}. */
    static ProviderKeysSecret parameterStore(String parameterArn, AwsJsonCall call) {
        String source = "ssm";
        return new ProviderKeysSecret(source, () -> {
            AwsJsonCall.Response response;
            try {
                response = call.post("/", Map.of("Content-Type", "application/x-amz-json-1.1", "X-Amz-Target", "AmazonSSM.GetParameter"),
                        new GetParameter(parameterArn, true));
            } catch (IOException e) {
                throw failure(source, source + " could not be reached (" + e.getClass().getSimpleName() + ")", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure(source, "interrupted while reading the provider keys", e);
            }
            if (response.status() != 200) {
                throw failure(source, source + " answered " + response.status() + " " + response.errorType(), null);
            }
            JsonNode value = response.json().path("Parameter").path("Value");
            return value.isTextual() ? value.asText() : null;
        });
    }

    /** SSM's GetParameter request. */
    private record GetParameter(@JsonProperty("Name") String name,
                                @JsonProperty("WithDecryption") boolean withDecryption) {}

    @Override
    public Map<String, String> get() {
        String text = reader.read();
        if (text == null) {
            throw failure(source, "the " + source + " answer holds no value", null);
        }
        return values(text);
    }

    private Map<String, String> values(String text) {
        JsonNode json;
        try {
            json = JsonMapper.MAPPER.readTree(text);
        } catch (IOException e) {
            json = null;
        }
        if (json == null || !json.isObject()) {
            throw failure(source, "the provider keys in " + source + " are not a JSON object of variable names and values", null);
        }
        Map<String, String> values = new LinkedHashMap<>();
        json.properties().forEach(e -> {
            if (e.getValue().isTextual()) {
                values.put(e.getKey(), e.getValue().asText());
            } else if (e.getValue().isContainerNode()) {
                // A service-account JSON may be stored as an object rather than as a string.
                values.put(e.getKey(), e.getValue().toString());
            }
        });
        return values;
    }

    private static void pause(String source, int failedAttempt) {
        try {
            Thread.sleep(Backoff.AWS.delay(failedAttempt, RandomGenerator.getDefault()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure(source, "interrupted while reading the provider keys", e);
        }
    }

    private static LlmException failure(String source, String message, Throwable cause) {
        return new LlmException(LlmException.Kind.AUTHENTICATION, source, "Cannot read the provider keys: " + message, cause);
    }
}
