package dev.compactor.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.local.testing.TestDynamo;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The local runtime summarises offline by default, whatever the template's cloud defaults, unless the user's environment says otherwise. */
public class FunctionHostTest {
    private static final SamTemplate TEMPLATE = SamTemplate.load(TestDynamo.TEMPLATE);

    private static Map<String, String> environment(Map<String, String> processEnvironment) {
        return new FunctionHost(TEMPLATE, "t", "http://127.0.0.1:1", processEnvironment).environment(TEMPLATE.function("ApiFunction"));
    }

    @Test
    void theOfflineSummarizerIsTheLocalDefaultAndLastResort() {
        assertThat(TEMPLATE.resolveEnvironment(TEMPLATE.function("ApiFunction"), "t"))
                .containsEntry("DEFAULT_SUMMARIZER_MODEL", "bedrock/us.anthropic.claude-haiku-4-5-20251001-v1:0")
                .containsEntry("EXTRACTIVE_FALLBACK", "false");
        assertThat(environment(Map.of())).containsEntry("DEFAULT_SUMMARIZER_MODEL", "local/extractive")
                .containsEntry("EXTRACTIVE_FALLBACK", "true");
    }

    @Test
    void theUsersEnvironmentOverridesThem() {
        assertThat(environment(Map.of("DEFAULT_SUMMARIZER_MODEL", "anthropic/claude-haiku-4-5", "EXTRACTIVE_FALLBACK", "false")))
                .containsEntry("DEFAULT_SUMMARIZER_MODEL", "anthropic/claude-haiku-4-5").containsEntry("EXTRACTIVE_FALLBACK", "false");
    }
}
