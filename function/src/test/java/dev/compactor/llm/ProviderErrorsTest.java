package dev.compactor.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProviderErrorsTest {
    private static LlmException.Kind kind(int status, String body) {
        return ProviderErrors.fromResponse("p", status, body, null).kind();
    }

    @Test
    void statusesMapToLettasKinds() {
        assertThat(kind(429, "{}")).isEqualTo(LlmException.Kind.RATE_LIMIT);
        assertThat(kind(401, "{}")).isEqualTo(LlmException.Kind.AUTHENTICATION);
        assertThat(kind(403, "{}")).isEqualTo(LlmException.Kind.AUTHENTICATION);
        assertThat(kind(402, "{}")).isEqualTo(LlmException.Kind.INSUFFICIENT_CREDITS);
        assertThat(kind(400, "{}")).isEqualTo(LlmException.Kind.BAD_REQUEST);
        assertThat(kind(408, "{}")).isEqualTo(LlmException.Kind.TIMEOUT);
        assertThat(kind(504, "{}")).isEqualTo(LlmException.Kind.TIMEOUT);
        assertThat(kind(503, "{}")).isEqualTo(LlmException.Kind.OVERLOADED);
        assertThat(kind(529, "{}")).isEqualTo(LlmException.Kind.OVERLOADED);
        assertThat(kind(413, "{}")).isEqualTo(LlmException.Kind.CONTEXT_WINDOW_EXCEEDED);
        assertThat(kind(500, "oops")).isEqualTo(LlmException.Kind.PROVIDER_ERROR);
    }

    @Test
    void contextWindowErrorsAreRecognisedByEachProvidersWording() {
        assertThat(ProviderErrors.isContextWindowError("prompt is too long: 210000 tokens > 200000 maximum")).isTrue();
        assertThat(ProviderErrors.isContextWindowError("This model's maximum context length is 128000 tokens")).isTrue();
        assertThat(ProviderErrors.isContextWindowError("Input is too long for requested model.")).isTrue();
        assertThat(ProviderErrors.isContextWindowError("The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).")).isTrue();
        assertThat(ProviderErrors.isContextWindowError("Invalid value for temperature")).isFalse();
        assertThat(kind(400, "{\"error\":{\"message\":\"x\",\"code\":\"context_length_exceeded\"}}"))
                .isEqualTo(LlmException.Kind.CONTEXT_WINDOW_EXCEEDED);
    }

    @Test
    void transientFailuresAreRetryableAndKeepTheProvidersRequestedWait() {
        LlmException throttled = ProviderErrors.fromResponse("p", 429, "{\"error\":{\"message\":\"slow down\"}}", Duration.ofSeconds(2));

        assertThat(throttled.retryable()).isTrue();
        assertThat(throttled.retryAfter()).isEqualTo(Duration.ofSeconds(2));
        assertThat(throttled.getMessage()).isEqualTo("p answered 429: slow down");
        assertThat(ProviderErrors.fromResponse("p", 502, "", null).retryable()).isTrue();
        assertThat(ProviderErrors.fromResponse("p", 400, "{}", null).retryable()).isFalse();
        assertThat(ProviderErrors.fromResponse("p", 429, "{\"error\":{\"type\":\"insufficient_quota\"}}", null).retryable()).isFalse();
    }

    @Test
    void streamErrorsAreMappedByTheirType() {
        assertThat(ProviderErrors.fromStreamError("anthropic", "overloaded_error", "Overloaded").kind()).isEqualTo(LlmException.Kind.OVERLOADED);
        assertThat(ProviderErrors.fromStreamError("anthropic", "rate_limit_error", "slow").kind()).isEqualTo(LlmException.Kind.RATE_LIMIT);
        assertThat(ProviderErrors.fromStreamError("openai", "server_error", "boom").retryable()).isTrue();
    }
}
