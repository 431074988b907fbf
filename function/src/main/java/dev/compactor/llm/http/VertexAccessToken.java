package dev.compactor.llm.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.compactor.support.JsonMapper;
import dev.compactor.llm.LlmException;
import dev.compactor.llm.ProviderErrors;
import dev.compactor.llm.ProviderEnv;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/**
 * An OAuth access token for Vertex AI from a Google service account, without Google's client
 * library: a JWT signed with the account's RSA key by the JDK ({@code SHA256withRSA}), exchanged
 * at the account's token URI, and reused until shortly before it expires. The account JSON comes
 * from {@code GOOGLE_APPLICATION_CREDENTIALS_JSON} (the provider-keys secret in the cloud) or the
 * file named by {@code GOOGLE_APPLICATION_CREDENTIALS}.
 */
public final class VertexAccessToken {
    static final String SCOPE = "https://www.googleapis.com/auth/cloud-platform";
    static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    private static final Duration LIFETIME = Duration.ofHours(1);
    /** Renew this long before expiry so a token never lapses mid-call. */
    private static final Duration MARGIN = Duration.ofMinutes(5);
    private static final String PROVIDER = "google_vertex";

    private final ProviderEnv env;
    private final HttpTransport http;
    private String token;
    private Instant expires = Instant.MIN;

    public VertexAccessToken(ProviderEnv env, HttpTransport http) {
        this.env = env;
        this.http = http;
    }

    public synchronized String get(Instant deadline) {
        Instant now = Instant.now();
        if (token != null && now.plus(MARGIN).isBefore(expires)) {
            return token;
        }
        ServiceAccount account = account();
        String tokenUri = field(account.tokenUri(), "token_uri");
        TokenAnswer answer;
        try {
            answer = http.postForm(PROVIDER, URI.create(tokenUri),
                    Map.of("grant_type", GRANT_TYPE, "assertion", assertion(account, tokenUri, now)), deadline, TokenAnswer.class);
        } catch (LlmException e) {
            if (e.kind() == LlmException.Kind.BAD_REQUEST) {
                // The token endpoint answers 400 invalid_grant for a revoked or unknown key.
                throw new LlmException(LlmException.Kind.AUTHENTICATION, PROVIDER, e.getMessage(), e);
            }
            throw e;
        }
        if (answer.accessToken() == null) {
            throw ProviderErrors.malformed(PROVIDER, "the token answer has no access_token", null);
        }
        long seconds = answer.expiresIn();
        token = answer.accessToken();
        expires = now.plusSeconds(seconds > 0 ? seconds : LIFETIME.toSeconds());
        return token;
    }

    /** The fields of a service-account JSON file the token exchange uses (the file has more). */
    record ServiceAccount(@JsonProperty("token_uri") String tokenUri, @JsonProperty("client_email") String clientEmail,
                          @JsonProperty("private_key") String privateKey, @JsonProperty("private_key_id") String privateKeyId) {}

    /** The token endpoint's answer. */
    record TokenAnswer(@JsonProperty("access_token") String accessToken, @JsonProperty("expires_in") long expiresIn) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record JwtHeader(String alg, String typ, String kid) {}

    record JwtClaims(String iss, String scope, String aud, long iat, long exp) {}

    private ServiceAccount account() {
        String json = env.get("GOOGLE_APPLICATION_CREDENTIALS_JSON");
        if (json == null) {
            String path = env.require("GOOGLE_APPLICATION_CREDENTIALS", PROVIDER);
            try {
                json = Files.readString(Path.of(path));
            } catch (IOException e) {
                throw new LlmException(LlmException.Kind.AUTHENTICATION, PROVIDER,
                        "Cannot read the service-account file named by GOOGLE_APPLICATION_CREDENTIALS", e);
            }
        }
        ServiceAccount account = null;
        JsonProcessingException invalid = null;
        try {
            account = HttpTransport.LENIENT.forType(ServiceAccount.class).readValue(json);
        } catch (JsonProcessingException e) {
            invalid = e;
        }
        if (account == null) {
            throw new LlmException(LlmException.Kind.AUTHENTICATION, PROVIDER, "The Google service-account credentials are not JSON", invalid);
        }
        return account;
    }

    static String assertion(ServiceAccount account, String tokenUri, Instant now) {
        JwtHeader header = new JwtHeader("RS256", "JWT", account.privateKeyId());
        JwtClaims claims = new JwtClaims(field(account.clientEmail(), "client_email"), SCOPE, tokenUri, now.getEpochSecond(),
                now.plus(LIFETIME).getEpochSecond());
        String signingInput;
        try {
            signingInput = base64Url(JsonMapper.MAPPER.writeValueAsBytes(header)) + "." + base64Url(JsonMapper.MAPPER.writeValueAsBytes(claims));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JWT that is not JSON", e);
        }
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(privateKey(field(account.privateKey(), "private_key")));
            rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + base64Url(rsa.sign());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new LlmException(LlmException.Kind.AUTHENTICATION, PROVIDER, "The service account's private_key is not a usable RSA key", e);
        }
    }

    private static PrivateKey privateKey(String pem) throws GeneralSecurityException {
        String base64 = pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "")
                .replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    private static String field(String value, String name) {
        if (value != null && !value.isBlank()) {
            return value;
        }
        throw new LlmException(LlmException.Kind.AUTHENTICATION, PROVIDER, "The Google service-account credentials have no " + name);
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
