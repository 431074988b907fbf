package dev.compactor.llm;

import dev.compactor.support.Credentials;

import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Provider configuration by the vendors' own variable names ({@code OPENAI_API_KEY},
 * {@code ANTHROPIC_BASE_URL}, …): the environment first, then the provider-keys secret. The
 * secret is read on the first lookup the environment cannot answer, once per container, so a
 * container that only uses Bedrock never reads it. Values are never logged.
 */
public final class ProviderEnv {
    private final Function<String, String> environment;
    private final Supplier<Map<String, String>> secret;
    private volatile Map<String, String> secretValues;

    /**
     * @param environment the process environment (blank values count as unset)
     * @param secret reads the provider-keys secret (an empty map when none is configured);
     *     throws {@link LlmException} when it cannot
     */
    public ProviderEnv(Function<String, String> environment, Supplier<Map<String, String>> secret) {
        this.environment = environment;
        this.secret = secret;
    }

    /**
     * The value, or null when neither the environment nor the secret has it. A credential handed
     * out is remembered, so that provider errors quoting it are scrubbed ({@link Credentials}).
     */
    public String get(String name) {
        String value = environment.apply(name);
        if (value == null || value.isBlank()) {
            value = secretValues().get(name);
        }
        if (value == null || value.isBlank()) {
            return null;
        }
        Credentials.remember(name, value.strip());
        return value.strip();
    }

    public String get(String name, String fallback) {
        String value = get(name);
        return value == null ? fallback : value;
    }

    /** The value, or an authentication error naming the variable when it is missing (checked before any call). */
    public String require(String name, String provider) {
        String value = get(name);
        if (value == null) {
            throw new LlmException(LlmException.Kind.AUTHENTICATION, provider,
                    name + " is not set (environment or provider-keys secret), so " + provider + " cannot be called");
        }
        return value;
    }

    private Map<String, String> secretValues() {
        Map<String, String> values = secretValues;
        if (values == null) {
            synchronized (this) {
                if (secretValues == null) {
                    secretValues = Map.copyOf(secret.get());
                }
                values = secretValues;
            }
        }
        return values;
    }
}
