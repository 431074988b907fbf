package dev.compactor.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FailoverChainsTest {
    @Test
    void lettasDefaultSendsAnthropicToBedrockOnly() {
        FailoverChains chains = FailoverChains.parse(FailoverChains.DEFAULT);

        assertThat(chains.after(ModelHandle.parse("anthropic/claude-sonnet-4-5"))).containsExactly(ModelHandle.parse(ModelCatalog.BEDROCK_DEFAULT));
        assertThat(chains.after(ModelHandle.parse("openai/gpt-5-mini"))).isEmpty();
        assertThat(chains.after(ModelHandle.parse(ModelCatalog.BEDROCK_DEFAULT))).isEmpty();
    }

    @Test
    void rulesNameChainsAndAWildcardCoversTheRest() {
        FailoverChains chains = FailoverChains.parse(" openai = azure/gpt-5-mini , anthropic/claude-haiku-4-5 ; *=bedrock/amazon.nova-lite-v1:0 ");

        assertThat(chains.after(ModelHandle.parse("openai/gpt-5")))
                .containsExactly(ModelHandle.parse("azure/gpt-5-mini"), ModelHandle.parse("anthropic/claude-haiku-4-5"));
        assertThat(chains.after(ModelHandle.parse("groq/llama-3.3-70b"))).containsExactly(ModelHandle.parse("bedrock/amazon.nova-lite-v1:0"));
        assertThat(chains.after(ModelHandle.parse("bedrock/amazon.nova-lite-v1:0"))).isEmpty();
        assertThat(FailoverChains.parse("none").after(ModelHandle.parse("anthropic/x"))).isEmpty();
    }

    @Test
    void aMistakeInTheConfigurationIsReportedAtStartup() {
        assertThatThrownBy(() -> FailoverChains.parse("acme=bedrock/x")).hasMessageContaining("known provider");
        assertThatThrownBy(() -> FailoverChains.parse("anthropic=claude")).hasMessageContaining("'claude'");
        assertThatThrownBy(() -> FailoverChains.parse("anthropic bedrock/x")).hasMessageContaining("must start with");
    }
}
