package dev.compactor.llm.http;

import dev.compactor.support.Json;
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
import java.util.LinkedHashMap;
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
        Map<String, Object> account = account();
        String tokenUri = field(account, "token_uri");
        Map<String, Object> answer;
        try {
            answer = http.postForm(PROVIDER, URI.create(tokenUri),
                    Map.of("grant_type", GRANT_TYPE, "assertion", assertion(account, tokenUri, now)), deadline);
        } catch (LlmException e) {
            if (e.kind() == LlmException.Kind.BAD_REQUEST) {
                // The token endpoint answers 400 invalid_grant for a revoked or unknown key.
                throw new LlmException(LlmException.Kind.AUTHENTICATION, PROVIDER, e.getMessage(), e);
            }
            throw e;
        }
        String accessToken = JsonPath.string(answer, "access_token");
        if (accessToken == null) {
            throw ProviderErrors.malformed(PROVIDER, "the token answer has no access_token", null);
        }
        long seconds = JsonPath.number(answer, "expires_in");
        token = accessToken;
        expires = now.plusSeconds(seconds > 0 ? seconds : LIFETIME.toSeconds());
        return token;
    }

    private Map<String, Object> account() {
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
        try {
            return Json.parseObject(json);
        } catch (RuntimeException e) {
            throw new LlmException(LlmException.Kind.AUTHENTICATION, PROVIDER, "The Google service-account credentials are not JSON", e);
        }
    }

    static String assertion(Map<String, Object> account, String tokenUri, Instant now) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "RS256");
        header.put("typ", "JWT");
        if (account.get("private_key_id") instanceof String kid) {
            header.put("kid", kid);
        }
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", field(account, "client_email"));
        claims.put("scope", SCOPE);
        claims.put("aud", tokenUri);
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.plus(LIFETIME).getEpochSecond());
        String signingInput = base64Url(Json.write(header).getBytes(StandardCharsets.UTF_8)) + "."
                + base64Url(Json.write(claims).getBytes(StandardCharsets.UTF_8));
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(privateKey(field(account, "private_key")));
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

    private static String field(Map<String, Object> account, String name) {
        if (account.get(name) instanceof String value && !value.isBlank()) {
            return value;
        }
        throw new LlmException(LlmException.Kind.AUTHENTICATION, PROVIDER, "The Google service-account credentials have no " + name);
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
