package dev.compactor.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Stored settings are written complete in Letta's order; documents stored as sent by earlier versions read back with Letta's defaults. */
class AgentCompactionSettingsTest {
    @Test
    void writesEveryFieldInLettasOrderNullsIncluded() {
        assertThat(AgentCompactionSettings.defaultsWith("bedrock/x").toJson()).isEqualTo("{\"model\":\"bedrock/x\",\"model_settings\":null,"
                + "\"prompt\":null,\"prompt_acknowledgement\":false,\"clip_chars\":50000,\"mode\":\"sliding_window\","
                + "\"sliding_window_percentage\":0.3}");
    }

    @Test
    void aDocumentStoredAsSentReadsBackWithLettasDefaults() {
        AgentCompactionSettings partial = AgentCompactionSettings.fromJson("{\"mode\":\"all\",\"not_a_field\":1}");
        AgentCompactionSettings noClip = AgentCompactionSettings.fromJson("{\"clip_chars\":null,\"model_settings\":"
                + "{\"provider_type\":\"openai\",\"temperature\":0.2}}");

        assertThat(partial).isEqualTo(new AgentCompactionSettings(null, null, null, false, 50_000L, "all", 0.3));
        assertThat(noClip.clipChars()).isNull();
        assertThat(noClip.modelSettings().toJson()).isEqualTo("{\"provider_type\":\"openai\",\"temperature\":0.2}");
        assertThat(AgentCompactionSettings.fromJson(noClip.toJson())).isEqualTo(noClip);
    }
}
