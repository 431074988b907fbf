package dev.compactor.local.runtime;

import java.util.Map;

/** The template's queues as created locally: URL and ARN by logical id, at {@code endpoint}. */
public record LocalQueues(String endpoint, Map<String, String> urls, Map<String, String> arns) {
    public String url(String logicalId) {
        String url = urls.get(logicalId);
        if (url == null) {
            throw new IllegalArgumentException("No queue '" + logicalId + "'; queues: " + urls.keySet());
        }
        return url;
    }
}
