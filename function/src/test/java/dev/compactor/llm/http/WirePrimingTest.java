package dev.compactor.llm.http;

import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;

/** The SnapStart hooks' wire priming writes every dialect's request body and binds every answer it carries, offline. */
class WirePrimingTest {
    @Test
    void writesAndReadsEveryDialectsWireBodiesWithoutANetworkCall() {
        assertThatCode(WirePriming::prime).doesNotThrowAnyException();
    }
}
