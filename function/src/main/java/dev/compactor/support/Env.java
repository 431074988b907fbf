package dev.compactor.support;

import java.util.Map;

/**
 * The function's configuration: environment variables only, as Lambda and
 * {@code sam local --env-vars} provide them. Held as a map so the local runtime can pass its own.
 */
public record Env(Map<String, String> vars) {
    public static final String TABLE_NAME = "TABLE_NAME";
    public static final String DEFAULT_SUMMARIZER_MODEL = "DEFAULT_SUMMARIZER_MODEL";
    public static final String DUE_THRESHOLD_FRACTION = "DUE_THRESHOLD_FRACTION";
    /** Share of an agent's context window above which an idle conversation becomes due; unset or 0: off. */
    public static final String IDLE_THRESHOLD_FRACTION = "IDLE_THRESHOLD_FRACTION";
    /** Minutes without activity after which a conversation above the idle threshold is due. */
    public static final String IDLE_QUIET_MINUTES = "IDLE_QUIET_MINUTES";
    /** Minutes after which a conversation sent to the queue and still not compacted is sent again. */
    public static final String REQUEUE_AFTER_MINUTES = "REQUEUE_AFTER_MINUTES";
    /** URL of the SQS queue scheduled discovery sends due conversations to. */
    public static final String COMPACTION_QUEUE_URL = "COMPACTION_QUEUE_URL";
    /** Minimum share of identifiers a summary must keep verbatim, in [0, 1]; unset: reported, not enforced. */
    public static final String QUALITY_MIN_IDENTIFIER_RETENTION = "QUALITY_MIN_IDENTIFIER_RETENTION";
    /** {@code provider=handle[,handle…];…} failover chains (see {@link dev.compactor.llm.FailoverChains}). */
    public static final String SUMMARIZER_FAILOVER = "SUMMARIZER_FAILOVER";
    /** Whether the offline extractive summarizer stands in when every model failed. */
    public static final String EXTRACTIVE_FALLBACK = "EXTRACTIVE_FALLBACK";
    /** ARN of the Secrets Manager secret holding provider keys as a JSON object of variable names to values. */
    public static final String PROVIDER_KEYS_SECRET_ARN = "PROVIDER_KEYS_SECRET_ARN";
    /** ARN of an SSM Parameter Store parameter (SecureString) holding provider keys like the secret does. */
    public static final String PROVIDER_KEYS_PARAMETER_ARN = "PROVIDER_KEYS_PARAMETER_ARN";
    /** Tenant of requests that come without an authorizer's tenant; unset: such requests are refused. */
    public static final String DEFAULT_TENANT = "DEFAULT_TENANT";
    /** The asynchronous compaction worker (function name or alias ARN); unset: no asynchronous compactions. */
    public static final String COMPACTION_WORKER_FUNCTION = "COMPACTION_WORKER_FUNCTION";
    /** Lease of a running Idempotency-Key request's claim, in seconds (default 10): how soon a retry takes over from a dead one. */
    public static final String IDEMPOTENCY_LEASE_SECONDS = "IDEMPOTENCY_LEASE_SECONDS";
    /** How often a running Idempotency-Key request renews its lease, in seconds (default 3); below the lease. */
    public static final String IDEMPOTENCY_HEARTBEAT_SECONDS = "IDEMPOTENCY_HEARTBEAT_SECONDS";
    /**
     * Lease of a running compaction on its conversation, and of an asynchronous job's worker on its job, in seconds
     * (default 30): how soon a crashed holder is taken over.
     */
    public static final String COMPACTION_LEASE_SECONDS = "COMPACTION_LEASE_SECONDS";
    /** How often a running compaction, or a job's worker, renews its lease, in seconds (default 10); below the lease. */
    public static final String COMPACTION_HEARTBEAT_SECONDS = "COMPACTION_HEARTBEAT_SECONDS";
    /**
     * API Gateway's integration timeout of the synchronous compaction routes, in seconds (default
     * 29, REST's default; the template's {@code SyncCompactionTimeoutSeconds}): the API function
     * keeps its own deadline inside it.
     */
    public static final String INTEGRATION_TIMEOUT_SECONDS = "INTEGRATION_TIMEOUT_SECONDS";
    /** The EventBridge bus (name or ARN) conversation events go to; unset or empty: none are published. */
    public static final String EVENT_BUS_NAME = "EVENT_BUS_NAME";
    /** CloudWatch namespace of the function's metrics. */
    public static final String METRICS_NAMESPACE = "METRICS_NAMESPACE";
    /** The largest conversation, in items, that {@code DELETE ?purge=true} purges within the request (default 1000); larger ones go to the worker. */
    public static final String PURGE_INLINE_MAX_ITEMS = "PURGE_INLINE_MAX_ITEMS";
    /** Days evicted messages and superseded summaries are kept before DynamoDB TTL expires them; unset or 0 keeps them for good. */
    public static final String RETENTION_DAYS = "RETENTION_DAYS";

    public Env {
        vars = Map.copyOf(vars);
    }

    public static Env system() {
        return new Env(System.getenv());
    }

    public String get(String name) {
        String value = vars.get(name);
        return value == null || value.isBlank() ? null : value.strip();
    }

    public String get(String name, String fallback) {
        String value = get(name);
        return value == null ? fallback : value;
    }

    public String require(String name) {
        String value = get(name);
        if (value == null) {
            throw new IllegalStateException("Environment variable " + name + " must be set");
        }
        return value;
    }

    public double number(String name, double fallback) {
        String value = get(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("Environment variable " + name + " must be a number, got '" + value + "'", e);
        }
    }

    /** {@code true}/{@code false} (any case); {@code fallback} when unset. */
    public boolean flag(String name, boolean fallback) {
        String value = get(name);
        if (value == null) {
            return fallback;
        }
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new IllegalStateException("Environment variable " + name + " must be true or false, got '" + value + "'");
    }

    /** {@code AWS_REGION}, then {@code AWS_DEFAULT_REGION}; us-east-1 when neither is set. */
    public String region() {
        return get("AWS_REGION", get("AWS_DEFAULT_REGION", "us-east-1"));
    }

    /** The service-specific endpoint override ({@code AWS_ENDPOINT_URL_<SERVICE>}), then the global one. */
    public String endpoint(String serviceSuffix) {
        return get("AWS_ENDPOINT_URL_" + serviceSuffix, get("AWS_ENDPOINT_URL"));
    }
}
