package dev.compactor.access;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API key a request presents: {@code Authorization: Bearer <key>} (what Letta's SDKs send)
 * or {@code x-api-key: <key>} (API Gateway's own header). Both are read because API Gateway
 * runs a Lambda authorizer only when every identity source it names is present, so the
 * authorizer names none and finds the key itself.
 */
public final class ApiKeyCredentials {
    /** API Gateway's limits on an API key's value. */
    static final int MIN_LENGTH = 20;
    static final int MAX_LENGTH = 128;
    private static final Pattern BEARER = Pattern.compile("(?i)bearer +(\\S+) *");
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{" + MIN_LENGTH + "," + MAX_LENGTH + "}");

    /** Why a request carries no usable key (logged; the caller only learns it is unauthorized). */
    public enum Problem { MISSING, MALFORMED, CONFLICTING }

    /** The key, or the problem with what was sent. */
    public record Result(String key, Problem problem) {}

    private ApiKeyCredentials() {}

    /** @param headers request headers, names in any case */
    public static Result from(Map<String, String> headers) {
        Map<String, String> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            headers.forEach((k, v) -> {
                if (k != null && v != null) {
                    byName.put(k, v);
                }
            });
        }
        String authorization = byName.get("authorization");
        String apiKey = byName.get("x-api-key");
        String bearer = null;
        if (authorization != null) {
            Matcher m = BEARER.matcher(authorization.strip());
            if (!m.matches()) {
                return new Result(null, Problem.MALFORMED);
            }
            bearer = m.group(1);
        }
        if (bearer != null && apiKey != null && !bearer.equals(apiKey.strip())) {
            return new Result(null, Problem.CONFLICTING);
        }
        String key = bearer != null ? bearer : apiKey == null ? null : apiKey.strip();
        if (key == null) {
            return new Result(null, Problem.MISSING);
        }
        return wellFormed(key) ? new Result(key, null) : new Result(null, Problem.MALFORMED);
    }

    /** Whether {@code key} can be an API Gateway API key: 20 to 128 visible ASCII characters. */
    public static boolean wellFormed(String key) {
        return key != null && KEY.matcher(key).matches();
    }

    /** A problem's name for logs. */
    static String name(Problem problem) {
        return problem.name().toLowerCase(Locale.ROOT);
    }
}
