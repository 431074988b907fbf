package dev.compactor.local.runtime;

import java.util.List;
import java.util.Map;

/**
 * One action IAM authorises, as a function's call asked for it.
 *
 * @param action the IAM action ({@code dynamodb:PutItem}: a transaction's put is authorised as one)
 * @param resource the ARN it acts on (a table, or {@code table/…/index/<name>} for an index)
 * @param context the condition keys the call supplies ({@code dynamodb:LeadingKeys}); a key the
 *     recorder could not read is absent
 */
public record AwsAction(String action, String resource, Map<String, List<String>> context) {
    AwsAction(String action, String resource) {
        this(action, resource, Map.of());
    }

    String service() {
        return action.substring(0, action.indexOf(':'));
    }

    @Override
    public String toString() {
        return action + " on " + resource + (context.isEmpty() ? "" : " " + context);
    }
}
