package dev.compactor.local.runtime;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** How API Gateway reads a Lambda authorizer's policy for one method: an explicit deny wins, then an allow. */
public final class AuthorizerPolicy {
    private AuthorizerPolicy() {}

    /** {@code Deny}, {@code Allow}, or null when no statement covers {@code methodArn}. */
    public static String effect(Object policyDocument, String methodArn) {
        if (!(policyDocument instanceof Map<?, ?> policy)) {
            return null;
        }
        Object statements = policy.get("Statement");
        List<?> list = statements instanceof List<?> l ? l : statements == null ? List.of() : List.of(statements);
        String effect = null;
        for (Object s : list) {
            if (!(s instanceof Map<?, ?> statement) || !covers(statement.get("Action"), "execute-api:Invoke")
                    || !covers(statement.get("Resource"), methodArn)) {
                continue;
            }
            if ("Deny".equals(statement.get("Effect"))) {
                return "Deny";
            }
            if ("Allow".equals(statement.get("Effect"))) {
                effect = "Allow";
            }
        }
        return effect;
    }

    /** Whether a statement's value (a string or a list; {@code *} and {@code ?} wildcards) matches {@code value}. */
    static boolean covers(Object patterns, String value) {
        List<?> list = patterns instanceof List<?> l ? l : List.of(String.valueOf(patterns));
        for (Object p : list) {
            String regex = Pattern.quote(String.valueOf(p)).replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q");
            if (value.matches(regex)) {
                return true;
            }
        }
        return false;
    }
}
