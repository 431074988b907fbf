package dev.compactor.support;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes credentials from provider-supplied text before it reaches a response, a job record or
 * a log: providers quote the key they were sent in their errors ("Incorrect API key provided:
 * Bearer sk-…"). Removed are the keys this container was configured with (remembered as
 * {@link ProviderEnv} hands them out), the values of credential headers and parameters, and
 * strings shaped like the providers' keys, AWS access keys or bearer tokens.
 */
public final class Credentials {
    static final String REDACTED = "[redacted]";
    /** Shorter configured values are too likely to be ordinary words to be replaced wherever they occur. */
    private static final int MIN_REMEMBERED = 8;
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(KEY|TOKEN|SECRET|PASSWORD|CREDENTIALS).*");
    private static final Set<String> CONFIGURED = ConcurrentHashMap.newKeySet();
    private static final Pattern NAMED = Pattern.compile(
            "(?i)((?:x-api-key|x-goog-api-key|api[_-]?key|authorization|access[_-]?token|secret[_-]?key|password)[\"']?\\s*[:=]\\s*[\"']?)"
                    + "(?:(?:bearer|basic)\\s+)?[^\\s\"',;]+");
    private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer)\\s+(?=[A-Za-z._~+/=*-]*[0-9])[A-Za-z0-9._~+/=*-]{5,}[A-Za-z0-9_~+/=*-]");
    private static final Pattern KEY_SHAPED = Pattern.compile(
            "\\b(?:sk-[A-Za-z0-9_*.-]{5,}[A-Za-z0-9_*-]|(?:AKIA|ASIA)[0-9A-Z]{12,}|AIza[0-9A-Za-z_-]{20,}|ya29\\.[0-9A-Za-z_.-]{10,}"
                    + "|(?:ghp|gho|xox[abp])[_-][0-9A-Za-z-]{10,})");

    private Credentials() {}

    /** Remembers a configured value of variable {@code name} if the name says it is a credential. */
    public static void remember(String name, String value) {
        if (value != null && value.length() >= MIN_REMEMBERED && SECRET_NAME.matcher(name).matches()) {
            CONFIGURED.add(value);
        }
    }

    /** {@code text} without credentials (a bearer token has a digit, so English after "bearer" stays); null stays null. */
    public static String scrub(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (String secret : CONFIGURED) {
            out = out.replace(secret, REDACTED);
        }
        out = NAMED.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + REDACTED));
        out = BEARER.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + " " + REDACTED));
        return KEY_SHAPED.matcher(out).replaceAll(REDACTED);
    }
}
