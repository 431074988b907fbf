package dev.compactor.local.providers;

import static dev.compactor.local.providers.ScriptedServer.json;
import static dev.compactor.local.providers.TestProviders.ACK;
import static dev.compactor.local.providers.TestProviders.PROMPT;
import static dev.compactor.local.providers.TestProviders.TRANSCRIPT;
import static dev.compactor.local.providers.TestProviders.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.compactor.support.Json;
import dev.compactor.llm.LlmException;
import dev.compactor.llm.ModelHandle;
import dev.compactor.llm.Summarizer;
import dev.compactor.llm.SummaryResult;
import dev.compactor.llm.TokenUsage;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Gemini {@code generateContent} for the Gemini API (API key) and Vertex AI (a service-account
 * JWT, verified here with the account's public key, exchanged at a local token endpoint).
 */
class GeminiTest extends ProviderServerTest {
    static final String ANSWER = """
            {"candidates":[{"content":{"role":"model","parts":[{"text":"Weighing what matters...","thought":true},
               {"text":"I deployed the api to staging (build 4411)."}]},"finishReason":"STOP","index":0}],
             "usageMetadata":{"promptTokenCount":1000,"candidatesTokenCount":20,"thoughtsTokenCount":80,"cachedContentTokenCount":600,
               "totalTokenCount":1100},"modelVersion":"gemini-2.5-flash","responseId":"abc"}""";


    private Summarizer googleAi() {
        return providers.summarizers(Map.of("GEMINI_API_KEY", "AIza-test", "GOOGLE_GEMINI_BASE_URL", server.uri().toString()), null)
                .forModel(ModelHandle.parse("google_ai/gemini-2.5-flash"));
    }

    @Test
    void sendsTheSystemInstructionTurnsAndGenerationConfig() {
        server.then(json(200, ANSWER));

        SummaryResult result = googleAi().summarize(request("google_ai/gemini-2.5-flash", "{\"provider_type\":\"google_ai\","
                + "\"temperature\":0.2,\"max_output_tokens\":2048,\"thinking_config\":{\"include_thoughts\":true,\"thinking_budget\":512},"
                + "\"response_schema\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"s\",\"schema\":{\"type\":\"object\"}}}}",
                true, Duration.ofSeconds(20)));

        ScriptedServer.Recorded sent = server.only();
        assertThat(sent.path()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
        assertThat(sent.header("x-goog-api-key")).isEqualTo("AIza-test");
        assertThat(sent.json()).isEqualTo(Json.parseObject("""
                {"systemInstruction":{"parts":[{"text":%s}]},
                 "contents":[{"role":"user","parts":[{"text":"Please get ready to summarize a conversation."}]},
                             {"role":"model","parts":[{"text":%s}]},{"role":"user","parts":[{"text":%s}]}],
                 "generationConfig":{"maxOutputTokens":2048,"temperature":0.2,"thinkingConfig":{"includeThoughts":true,"thinkingBudget":512},
                   "responseMimeType":"application/json","responseJsonSchema":{"type":"object"}}}"""
                .formatted(Json.write(PROMPT), Json.write(ACK), Json.write(TRANSCRIPT))));
        assertThat(result.text()).isEqualTo("I deployed the api to staging (build 4411).");
        assertThat(result.usage()).isEqualTo(new TokenUsage(400, 100, 600, 0));
    }

    @Test
    void finishReasonsAndErrorsAreMapped() {
        server.then(json(200, ANSWER.replace("\"STOP\"", "\"MAX_TOKENS\"")));
        assertThatThrownBy(() -> googleAi().summarize(request("google_ai/gemini-2.5-flash", null)))
                .isInstanceOfSatisfying(LlmException.class, e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.TRUNCATED_OUTPUT));

        server.then(json(400, "{\"error\":{\"code\":400,\"message\":\"The input token count (1200000) exceeds the maximum number of tokens "
                + "allowed (1048576).\",\"status\":\"INVALID_ARGUMENT\"}}"));
        assertThatThrownBy(() -> googleAi().summarize(request("google_ai/gemini-2.5-flash", null)))
                .isInstanceOfSatisfying(LlmException.class, e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.CONTEXT_WINDOW_EXCEEDED));

        server.then(json(429, "{\"error\":{\"code\":429,\"message\":\"Resource has been exhausted\",\"status\":\"RESOURCE_EXHAUSTED\"}}",
                Map.of("Retry-After", "0"))).then(json(200, ANSWER));
        assertThat(googleAi().summarize(request("google_ai/gemini-2.5-flash", null)).text()).startsWith("I deployed");
        assertThat(server.requests()).hasSize(4);
    }

    @Test
    void vertexSignsAServiceAccountTokenWithTheJdkAndReusesIt() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        Map<String, Object> account = new LinkedHashMap<>();
        account.put("type", "service_account");
        account.put("client_email", "compactor@acme-prod.iam.gserviceaccount.com");
        account.put("private_key_id", "key-1");
        account.put("private_key", "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(keys.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        account.put("token_uri", server.uri() + "/token");
        server.then(json(200, "{\"access_token\":\"ya29.local\",\"expires_in\":3599,\"token_type\":\"Bearer\"}"))
                .then(json(200, ANSWER));
        Summarizer vertex = providers.summarizers(Map.of("GOOGLE_APPLICATION_CREDENTIALS_JSON", Json.write(account),
                        "GOOGLE_CLOUD_PROJECT", "acme-prod", "GOOGLE_CLOUD_LOCATION", "europe-west4",
                        "GOOGLE_VERTEX_BASE_URL", server.uri().toString()), null)
                .forModel(ModelHandle.parse("google_vertex/gemini-2.5-flash"));

        vertex.summarize(request("google_vertex/gemini-2.5-flash", null));
        vertex.summarize(request("google_vertex/gemini-2.5-flash", null));

        var requests = server.requests();
        assertThat(requests).hasSize(3);
        ScriptedServer.Recorded token = requests.get(0);
        assertThat(token.path()).isEqualTo("/token");
        assertThat(token.header("content-type")).isEqualTo("application/x-www-form-urlencoded");
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : token.text().split("&")) {
            String[] kv = pair.split("=", 2);
            form.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        assertThat(form).containsEntry("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer");
        String[] jwt = form.get("assertion").split("\\.");
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initVerify(keys.getPublic());
        rsa.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(rsa.verify(Base64.getUrlDecoder().decode(jwt[2]))).isTrue();
        assertThat(Json.parseObject(new String(Base64.getUrlDecoder().decode(jwt[0]), StandardCharsets.UTF_8)))
                .containsEntry("alg", "RS256").containsEntry("kid", "key-1");
        Map<String, Object> claims = Json.parseObject(new String(Base64.getUrlDecoder().decode(jwt[1]), StandardCharsets.UTF_8));
        assertThat(claims).containsEntry("iss", "compactor@acme-prod.iam.gserviceaccount.com")
                .containsEntry("scope", "https://www.googleapis.com/auth/cloud-platform").containsEntry("aud", server.uri() + "/token");
        assertThat((Long) claims.get("exp") - (Long) claims.get("iat")).isEqualTo(3600L);
        assertThat((Long) claims.get("iat")).isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(60L));
        for (ScriptedServer.Recorded call : requests.subList(1, 3)) {
            assertThat(call.path()).isEqualTo("/v1/projects/acme-prod/locations/europe-west4/publishers/google/models/gemini-2.5-flash:generateContent");
            assertThat(call.header("authorization")).isEqualTo("Bearer ya29.local");
        }
    }

    @Test
    void aRejectedServiceAccountIsAnAuthenticationError() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        String account = Json.write(Map.of("client_email", "x@y.iam.gserviceaccount.com", "token_uri", server.uri() + "/token",
                "private_key", "-----BEGIN PRIVATE KEY-----\n" + Base64.getEncoder().encodeToString(keys.getPrivate().getEncoded())
                        + "\n-----END PRIVATE KEY-----\n"));
        server.then(json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid JWT Signature.\"}"));

        assertThatThrownBy(() -> providers.summarizers(Map.of("GOOGLE_APPLICATION_CREDENTIALS_JSON", account,
                        "GOOGLE_CLOUD_PROJECT", "p", "GOOGLE_VERTEX_BASE_URL", server.uri().toString()), null)
                .forModel(ModelHandle.parse("google_vertex/gemini-2.5-pro")).summarize(request("google_vertex/gemini-2.5-pro", null)))
                .isInstanceOfSatisfying(LlmException.class, e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.AUTHENTICATION));
        assertThat(server.requests()).hasSize(1);
    }
}
