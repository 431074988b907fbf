package dev.compactor.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.llm.LlmException;
import dev.compactor.support.Json;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** LLM failures answer Letta's body: its type, its fixed message per status, and what went wrong as the detail. */
class LlmErrorBodyTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            RATE_LIMIT           | 429 | llm_rate_limit           | Rate limit exceeded for LLM model provider. Please wait before making another request.
            AUTHENTICATION       | 401 | llm_authentication       | Authentication failed with the LLM model provider.
            INSUFFICIENT_CREDITS | 402 | llm_insufficient_credits | Insufficient credits for LLM request. Please check your account.
            BAD_REQUEST          | 400 | llm_bad_request          | The request to the LLM model provider was invalid.
            TIMEOUT              | 504 | llm_timeout              | The LLM request timed out. Please try again.
            PROVIDER_ERROR       | 502 | llm_error                | An error occurred with the LLM request.
            EMPTY_OUTPUT         | 502 | llm_error                | An error occurred with the LLM request.
            TRUNCATED_OUTPUT     | 502 | llm_error                | An error occurred with the LLM request.
            """)
    void carriesLettasFixedMessageAndTheCauseAsDetail(LlmException.Kind kind, int status, String type, String message) {
        ApiResponse response = ErrorResponses.of(new LlmException(kind, "openai", "openai answered " + status + ": nope"), "t-1");

        assertThat(response.status()).isEqualTo(status);
        assertThat(Json.parseObject(response.body())).isEqualTo(Map.of("error",
                Map.of("type", type, "message", message, "detail", "openai answered " + status + ": nope")));
    }
}
