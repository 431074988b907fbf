package dev.compactor.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code model_settings} are stored and returned as the JSON Letta's schema gives them, and read back unchanged. */
class ModelSettingsDocumentTest {
    @Test
    void everyProvidersFieldsWriteBackInTheOrderTheyWereStored() {
        for (String stored : List.of(
                "{\"provider_type\":\"openai\",\"max_output_tokens\":2048,\"parallel_tool_calls\":true,\"temperature\":1.0,"
                        + "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"s\",\"schema\":{\"type\":\"object\","
                        + "\"minimum\":1e-07,\"big\":123456789012345678901234567890},\"strict\":false}},"
                        + "\"reasoning\":{},\"strict\":true}",
                "{\"provider_type\":\"sglang\",\"reasoning\":{\"reasoning_effort\":\"xhigh\"},\"strict\":false,\"tool_call_parser\":\"qwen25\"}",
                "{\"provider_type\":\"anthropic\",\"temperature\":0.05,\"response_format\":{\"type\":\"text\"},"
                        + "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024},\"verbosity\":\"low\",\"effort\":\"max\",\"strict\":true}",
                "{\"provider_type\":\"zai\",\"thinking\":{\"type\":\"disabled\",\"clear_thinking\":false}}",
                "{\"provider_type\":\"google_ai\",\"max_output_tokens\":9,\"thinking_config\":{\"include_thoughts\":true,"
                        + "\"thinking_budget\":-1},\"response_schema\":{\"type\":\"json_object\"}}",
                "{\"provider_type\":\"moonshot\"}")) {
            assertThat(ModelSettings.fromJson(stored).toJson()).isEqualTo(stored);
        }
    }

    @Test
    void aDocumentStoredByAnEarlierVersionReadsWithItsUnknownFieldsIgnored() {
        ModelSettings read = ModelSettings.fromJson("{\"provider_type\":\"bedrock\",\"not_a_field\":{\"x\":1},\"max_output_tokens\":9}");

        assertThat(read.toJson()).isEqualTo("{\"provider_type\":\"bedrock\",\"max_output_tokens\":9}");
        assertThat(read.fieldsSet()).containsExactly("max_output_tokens");
    }
}
