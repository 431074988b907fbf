package dev.compactor.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenCountersTest {

    @Test
    void openAiFamilyModelsGetTheirOwnEncoding() {
        assertThat(TokenCounters.forModel("openai", "gpt-5-mini")).isSameAs(BpeTokenCounter.O200K);
        assertThat(TokenCounters.forModel("openai", "gpt-4o-mini")).isSameAs(BpeTokenCounter.O200K);
        assertThat(TokenCounters.forModel("openai", "gpt-4.1")).isSameAs(BpeTokenCounter.O200K);
        assertThat(TokenCounters.forModel("openai", "o3-mini")).isSameAs(BpeTokenCounter.O200K);
        assertThat(TokenCounters.forModel("azure", "gpt-4-turbo")).isSameAs(BpeTokenCounter.CL100K);
        assertThat(TokenCounters.forModel("openai", "gpt-3.5-turbo")).isSameAs(BpeTokenCounter.CL100K);
        assertThat(TokenCounters.forModel("openrouter", "openai/gpt-5")).isSameAs(BpeTokenCounter.O200K);
    }

    @Test
    void everyOtherFamilyUsesLettasApproximation() {
        assertThat(TokenCounters.forModel("anthropic", "claude-haiku-4-5")).isSameAs(ApproxTokenCounter.INSTANCE);
        assertThat(TokenCounters.forModel("bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0")).isSameAs(ApproxTokenCounter.INSTANCE);
        assertThat(TokenCounters.forModel("openrouter", "anthropic/claude-sonnet-4")).isSameAs(ApproxTokenCounter.INSTANCE);
        assertThat(TokenCounters.forModel("local", "extractive")).isSameAs(ApproxTokenCounter.INSTANCE);
        assertThat(TokenCounters.forModel(null, null)).isSameAs(ApproxTokenCounter.INSTANCE);
    }

    @Test
    void bytePairCountsMatchOpenAisTokenizers() {
        assertThat(BpeTokenCounter.O200K.count("hello world")).isEqualTo(2);
        assertThat(BpeTokenCounter.CL100K.count("hello world")).isEqualTo(2);
        assertThat(BpeTokenCounter.O200K.count("<|endoftext|>")).as("special tokens count as text").isGreaterThan(1);
        assertThat(BpeTokenCounter.O200K.count("")).isZero();
    }

    @Test
    void lettasApproximationIsBytesOverFourTimesOnePointThree() {
        assertThat(ApproxTokenCounter.INSTANCE.count("abcd")).isEqualTo(1);
        assertThat(ApproxTokenCounter.INSTANCE.count("a".repeat(400))).isEqualTo(130);
        assertThat(ApproxTokenCounter.INSTANCE.count("é".repeat(2))).isEqualTo(1);
        assertThat(ApproxTokenCounter.utf8Length("😀")).isEqualTo(4);
    }
}
