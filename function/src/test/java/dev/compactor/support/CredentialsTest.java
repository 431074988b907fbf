package dev.compactor.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.llm.LlmException;
import dev.compactor.llm.ProviderEnv;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CredentialsTest {
    @Test
    void aConfiguredKeyIsRemovedWhateverItsShapeOnceHandedOut() {
        String key = "opkey.7Qx2Lm9Vt4Rw8Zp3";
        String quoted = "Incorrect API key provided: " + key + " (check your dashboard)";
        assertThat(Credentials.scrub(quoted)).contains(key);

        new ProviderEnv(Map.of("VENDOR_API_KEY", key, "VENDOR_BASE_URL", "http://127.0.0.1:9/v1")::get, Map::of).get("VENDOR_API_KEY");

        assertThat(Credentials.scrub(quoted)).isEqualTo("Incorrect API key provided: [redacted] (check your dashboard)");
    }

    @Test
    void keyShapedStringsAndCredentialValuesAreRemoved() {
        assertThat(Credentials.scrub("Incorrect API key provided: Bearer sk-proj-abc123DEF456ghi789. See https://x"))
                .isEqualTo("Incorrect API key provided: Bearer [redacted]. See https://x");
        assertThat(Credentials.scrub("The security token AKIAIOSFODNN7EXAMPLE is not valid")).isEqualTo(
                "The security token [redacted] is not valid");
        assertThat(Credentials.scrub("bad header x-api-key: abcdef0123456789, retry")).isEqualTo(
                "bad header x-api-key: [redacted], retry");
        assertThat(Credentials.scrub("{\"authorization\":\"Basic dXNlcjpwYXNz\"}")).isEqualTo("{\"authorization\":\"[redacted]\"}");
        assertThat(Credentials.scrub("API key not valid: AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUv")).isEqualTo(
                "API key not valid: [redacted]");
    }

    @Test
    void ordinaryProviderTextIsKeptAsItIs() {
        assertThat(Credentials.scrub("Basic authentication failed: the bearer token is missing")).isEqualTo(
                "Basic authentication failed: the bearer token is missing");
        String text = "anthropic answered 529: Overloaded (request req_011CUaBc, conversation conv-8f2d1c3e-0000-4000-8000-000000000000)";
        assertThat(Credentials.scrub(text)).isEqualTo(text);
        assertThat(new LlmException(LlmException.Kind.AUTHENTICATION, "openai", "openai answered 401: Bearer sk-live-0123456789")
                .getMessage()).isEqualTo("openai answered 401: Bearer [redacted]");
    }
}
