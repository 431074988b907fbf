package dev.compactor.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiKeyCredentialsTest {
    static final String KEY = "ck_live_7f3c2a1e5b4d4c6e8f9a";

    @Test
    void readsABearerTokenOrAnXApiKeyInAnyHeaderCase() {
        assertThat(ApiKeyCredentials.from(Map.of("Authorization", "Bearer " + KEY)).key()).isEqualTo(KEY);
        assertThat(ApiKeyCredentials.from(Map.of("authorization", "bearer   " + KEY + " ")).key()).isEqualTo(KEY);
        assertThat(ApiKeyCredentials.from(Map.of("X-API-Key", KEY)).key()).isEqualTo(KEY);
        assertThat(ApiKeyCredentials.from(Map.of("Authorization", "Bearer " + KEY, "x-api-key", KEY)).key()).isEqualTo(KEY);
    }

    @Test
    void namesWhatIsWrongWithoutAKey() {
        assertThat(ApiKeyCredentials.from(Map.of()).problem()).isEqualTo(ApiKeyCredentials.Problem.MISSING);
        Map<String, String> nullHeader = new HashMap<>();
        nullHeader.put("x-api-key", null);
        assertThat(ApiKeyCredentials.from(nullHeader).problem()).isEqualTo(ApiKeyCredentials.Problem.MISSING);
        assertThat(ApiKeyCredentials.from(null).problem()).isEqualTo(ApiKeyCredentials.Problem.MISSING);
        assertThat(ApiKeyCredentials.from(Map.of("Authorization", "Basic dXNlcjpwYXNz")).problem())
                .isEqualTo(ApiKeyCredentials.Problem.MALFORMED);
        assertThat(ApiKeyCredentials.from(Map.of("Authorization", "Bearer short")).problem())
                .isEqualTo(ApiKeyCredentials.Problem.MALFORMED);
        assertThat(ApiKeyCredentials.from(Map.of("x-api-key", "x".repeat(129))).problem())
                .isEqualTo(ApiKeyCredentials.Problem.MALFORMED);
        assertThat(ApiKeyCredentials.from(Map.of("x-api-key", "contains a space in the key value")).problem())
                .isEqualTo(ApiKeyCredentials.Problem.MALFORMED);
        assertThat(ApiKeyCredentials.from(Map.of("Authorization", "Bearer " + KEY, "x-api-key", KEY + "0")).problem())
                .isEqualTo(ApiKeyCredentials.Problem.CONFLICTING);
    }

    @Test
    void tenantsAreWhatATableKeyCanHold() {
        assertThat(Tenants.valid("acme-corp.eu_1")).isTrue();
        assertThat(Tenants.valid("acme#C#conv")).isFalse();
        assertThat(Tenants.valid("")).isFalse();
        assertThat(Tenants.valid(null)).isFalse();
        assertThat(Tenants.valid("t".repeat(65))).isFalse();
    }
}
