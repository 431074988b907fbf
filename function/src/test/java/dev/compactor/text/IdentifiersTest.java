package dev.compactor.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Messages labelled by hand: what a reader would quote back, each taken whole. */
class IdentifiersTest {
    @Test
    void multiPartIdsStayWhole() {
        assertThat(Identifiers.in("Booking KC-TRV-5521 is confirmed; refund case RE-2026-00417 stays open (see #412)."))
                .containsExactly("KC-TRV-5521", "RE-2026-00417", "#412");
    }

    @Test
    void doisEmailsAndUrlsAreOneIdentifierEach() {
        assertThat(Identifiers.in("Cite 10.48550/arXiv.2503.11872, mail dana.ruiz@northwind-labs.io or open https://arxiv.org/abs/2503.11872."))
                .containsExactly("10.48550/arXiv.2503.11872", "dana.ruiz@northwind-labs.io", "https://arxiv.org/abs/2503.11872");
    }

    @Test
    void amountsKeepTheirCurrencyOrUnit() {
        assertThat(Identifiers.in("Total €684.20 (was $712), p99 4,870 ms, disk at 97.3%, heap 512MB, fee 1,200 EUR."))
                .containsExactly("€684.20", "$712", "p99", "4,870 ms", "97.3%", "512MB", "1,200 EUR");
    }

    @Test
    void snakeCaseDottedAndCamelCaseNames() {
        assertThat(Identifiers.in("Slot analytics_cdc_slot held WAL; staging.stg_refunds lags; java.lang.OutOfMemoryError in fetchOrders."))
                .containsExactly("analytics_cdc_slot", "staging.stg_refunds", "java.lang.OutOfMemoryError", "fetchOrders");
    }

    @Test
    void pathsAndFilesWithLineNumbers() {
        assertThat(Identifiers.in("GET /healthz 200; failing at src/main/java/App.java:1295 and ./build.sh, logs in ~/logs/app/out.log"))
                .containsExactly("/healthz", "200", "src/main/java/App.java", "1295", "./build.sh", "~/logs/app/out.log");
    }

    @Test
    void timesShortNumbersOrdinalsAndFragmentsAreNot() {
        assertThat(Identifiers.in("At 02:01 and 2026-03-14T04:31:07Z, the 2nd try of 10-15 runs took 12 s; e.g. a.h is noise."))
                .isEmpty();
    }

    @Test
    void uuidsHashesVersionsDatesAndKeyValuePairs() {
        assertThat(Identifiers.in("job=job-7f3a91 run 3f2c1d9e4b7a on 2026-03-14, agent-0b1e2f3a-1111-4a2b-8c3d-9e8f7a6b5c4d, v2.3.1 shard s-0419"))
                .containsExactly("job-7f3a91", "3f2c1d9e4b7a", "2026-03-14", "agent-0b1e2f3a-1111-4a2b-8c3d-9e8f7a6b5c4d",
                        "v2.3.1", "s-0419");
    }

    @Test
    void csvCellsAreSeparateButThousandsSeparatorsAreNot() {
        assertThat(Identifiers.in("2026-02-17,acct_1041,2366.43 and 1,284 orders worth €1,240,000"))
                .containsExactly("2026-02-17", "acct_1041", "2366.43", "1,284", "€1,240,000");
    }

    @Test
    void identifiersInsideOtherScriptsAreFound() {
        assertThat(Identifiers.in("请检查订单KC-TRV-5521的状态，金额€684.20。Merci : le dossier RE-2026-00417 est clos."))
                .containsExactly("KC-TRV-5521", "€684.20", "RE-2026-00417");
    }
}
