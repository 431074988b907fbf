package dev.compactor.app;

import dev.compactor.api.CompactionWorkerHandler;
import dev.compactor.compaction.AfterCommit;
import dev.compactor.compaction.CompactionService;
import dev.compactor.compaction.Compactor;
import dev.compactor.compaction.MessageTokens;
import dev.compactor.compaction.ModelChoice;
import dev.compactor.compaction.QualityGates;
import dev.compactor.conversation.Agent;
import dev.compactor.conversation.ApiKeyStore;
import dev.compactor.conversation.ConversationPurges;
import dev.compactor.conversation.ConversationStore;
import dev.compactor.conversation.HistoryRetention;
import dev.compactor.conversation.RetentionPolicy;
import dev.compactor.conversation.AgentPurges;
import dev.compactor.conversation.DuePolicy;
import dev.compactor.conversation.JobStore;
import dev.compactor.conversation.UsageStore;
import dev.compactor.conversation.dynamo.DynamoApiKeys;
import dev.compactor.conversation.dynamo.DynamoConversationStore;
import dev.compactor.conversation.dynamo.DynamoJobs;
import dev.compactor.conversation.dynamo.DynamoPurge;
import dev.compactor.conversation.dynamo.DynamoRetention;
import dev.compactor.conversation.dynamo.DynamoAgentPurge;
import dev.compactor.conversation.dynamo.DynamoUsage;
import dev.compactor.conversation.LeaseRenewal;
import dev.compactor.events.EventBridgePublisher;
import dev.compactor.events.EventPublisher;
import dev.compactor.llm.FailoverChains;
import dev.compactor.llm.LlmException;
import dev.compactor.llm.ModelHandle;
import dev.compactor.llm.ProviderEnv;
import dev.compactor.llm.Retrier;
import dev.compactor.llm.Summarizer;
import dev.compactor.llm.Summarizers;
import dev.compactor.llm.http.WirePriming;
import dev.compactor.llm.providers.ProviderApis;
import dev.compactor.support.AwsJsonCall;
import dev.compactor.support.Env;
import dev.compactor.support.LambdaInvoker;
import dev.compactor.support.Metrics;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The function's object graph, built once per container from the environment. It owns the clients
 * it is given or builds; a Lambda container never closes it, tests and the local runtime do.
 */
public final class Services implements AutoCloseable {
    /** Share of an agent's context window at which its conversation becomes due for scheduled compaction. */
    public static final double DEFAULT_DUE_FRACTION = 0.9;

    /** The largest conversation, in items, a purge request deletes itself: about 40 batches, a second or two. */
    public static final long DEFAULT_PURGE_INLINE_MAX_ITEMS = 1000;

    /** The worker event field naming the conversation whose evicted history to release to retention. */
    public static final String RETENTION_EVENT_FIELD = "retention_conversation_id";
    /** Beside it, the days to keep that history, as resolved when the compaction committed. */
    public static final String RETENTION_DAYS_EVENT_FIELD = "retention_days";
    /** How long a function without a worker spends stamping after a commit; the next commit's run continues. */
    private static final Duration INLINE_RETENTION_BUDGET = Duration.ofSeconds(20);

    /** Time for one call to SSM Parameter Store or Lambda's Invoke. */
    private static final Duration AWS_CALL_TIMEOUT = Duration.ofSeconds(5);

    private final Env env;
    private final DynamoDbClient dynamo;
    private final ConversationStore store;
    private final UsageStore usage;
    private final JobStore jobs;
    private final ConversationPurges purges;
    private final AgentPurges agentPurges;
    private final long purgeInlineMaxItems;
    private final HistoryRetention retention;
    private final RetentionPolicy retentionPolicy;
    private final LambdaInvoker worker;
    private final CompactionService compaction;
    private final LeaseRenewal leaseRenewal;
    private final Metrics metrics;
    private final EventPublisher events;
    private final Clock clock;
    private final ModelHandle deploymentDefault;
    private final Consumer<ModelHandle> summarizerPrimer;

    /**
     * @param summarizers finds the summarizer for a model handle ({@link Summarizers#forModel} in production)
     */
    public Services(Env env, DynamoDbClient dynamo, Function<ModelHandle, Summarizer> summarizers, Clock clock) {
        this(env, dynamo, summarizers, summarizers::apply, clock);
    }

    private Services(Env env, DynamoDbClient dynamo, Function<ModelHandle, Summarizer> summarizers,
                     Consumer<ModelHandle> summarizerPrimer, Clock clock) {
        this.env = env;
        this.dynamo = dynamo;
        this.clock = clock;
        this.summarizerPrimer = summarizerPrimer;
        MessageTokens tokens = MessageTokens.approximate();
        DuePolicy duePolicy;
        try {
            duePolicy = new DuePolicy(env.number(Env.DUE_THRESHOLD_FRACTION, DEFAULT_DUE_FRACTION),
                    env.number(Env.IDLE_THRESHOLD_FRACTION, 0));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(Env.DUE_THRESHOLD_FRACTION + ", " + Env.IDLE_THRESHOLD_FRACTION + ": " + e.getMessage(), e);
        }
        String table = env.require(Env.TABLE_NAME);
        this.store = new DynamoConversationStore(dynamo, table, tokens::estimate, duePolicy, clock,
                leaseRenewal(env, Env.IDEMPOTENCY_LEASE_SECONDS, Env.IDEMPOTENCY_HEARTBEAT_SECONDS, LeaseRenewal.IDEMPOTENCY));
        this.usage = new DynamoUsage(dynamo, table);
        this.jobs = new DynamoJobs(dynamo, table, clock);
        this.purges = new DynamoPurge(dynamo, table, clock);
        this.agentPurges = new DynamoAgentPurge(dynamo, table, clock);
        double inlineMax = env.number(Env.PURGE_INLINE_MAX_ITEMS, DEFAULT_PURGE_INLINE_MAX_ITEMS);
        if (!(inlineMax >= 0) || inlineMax != Math.rint(inlineMax)) {
            throw new IllegalStateException(Env.PURGE_INLINE_MAX_ITEMS + " must be a whole number of items, at least 0, got " + inlineMax);
        }
        this.purgeInlineMaxItems = (long) inlineMax;
        this.retention = new DynamoRetention(dynamo, table, clock);
        double days = env.number(Env.RETENTION_DAYS, 0);
        if (!(days >= 0 && days <= Agent.MAX_RETENTION_DAYS) || days != Math.rint(days)) {
            throw new IllegalStateException(Env.RETENTION_DAYS + " must be a whole number of days in [0, " + Agent.MAX_RETENTION_DAYS
                    + "], got " + days);
        }
        this.retentionPolicy = new RetentionPolicy(days == 0 ? null : Duration.ofDays((long) days));
        String workerFunction = env.get(Env.COMPACTION_WORKER_FUNCTION);
        this.worker = workerFunction == null ? null : new LambdaInvoker(workerFunction, awsCall(env, "lambda", "LAMBDA"));
        this.metrics = new Metrics(env.get(Env.METRICS_NAMESPACE, "Compaction"), clock);
        String defaultModel = env.get(Env.DEFAULT_SUMMARIZER_MODEL);
        this.deploymentDefault = ModelHandle.parse(defaultModel);
        if (defaultModel != null && deploymentDefault == null) {
            throw new IllegalStateException(Env.DEFAULT_SUMMARIZER_MODEL + " must be a provider/model handle, got '"
                    + defaultModel + "'");
        }
        if (deploymentDefault != null) {
            try {
                Summarizers.requireKnown(deploymentDefault);
            } catch (LlmException e) {
                throw new IllegalStateException(Env.DEFAULT_SUMMARIZER_MODEL + ": " + e.getMessage(), e);
            }
        }
        Double minRetention = env.get(Env.QUALITY_MIN_IDENTIFIER_RETENTION) == null ? null
                : env.number(Env.QUALITY_MIN_IDENTIFIER_RETENTION, 0);
        if (minRetention != null && !(minRetention >= 0 && minRetention <= 1)) {
            throw new IllegalStateException(Env.QUALITY_MIN_IDENTIFIER_RETENTION + " must be in [0, 1], got " + minRetention);
        }
        String bus = env.get(Env.EVENT_BUS_NAME);
        this.events = bus == null || bus.isBlank() ? EventPublisher.NONE
                : new EventBridgePublisher(bus, awsCall(env, "events", "EVENTBRIDGE"), metrics);
        this.leaseRenewal = leaseRenewal(env, Env.COMPACTION_LEASE_SECONDS, Env.COMPACTION_HEARTBEAT_SECONDS,
                LeaseRenewal.COMPACTION);
        this.compaction = new CompactionService(store, store, new Compactor(summarizers, tokens, clock, new QualityGates(minRetention)),
                new ModelChoice(deploymentDefault), clock, afterCommit(), events, leaseRenewal);
    }

    /**
     * Releasing a commit's evicted history to retention, when the agent or else the deployment
     * keeps history for a limited time: handed to the worker function from the API with the
     * period to stamp (so the request does not wait for it), run right away by the functions that
     * are already in the background (the workers), or where there is no worker.
     */
    private AfterCommit afterCommit() {
        return (tenant, conversationId, agent) -> {
            Duration period = retentionPolicy.forAgent(agent);
            if (period == null) {
                return;
            }
            if (worker != null) {
                worker.invokeAsync(CompactionWorkerHandler.JobEvent.retention(tenant, conversationId, period));
            } else {
                retention.stamp(tenant, conversationId, period, clock.instant().plus(INLINE_RETENTION_BUDGET));
            }
        };
    }

    public static Services fromEnvironment(Env env) {
        Summarizers summarizers = summarizers(env);
        return new Services(env, AwsClients.dynamo(env), summarizers::forModel, summarizers::prime, Clock.systemUTC());
    }

    /** The API-key table alone, for the authorizer, which needs nothing else of the graph. */
    public static ApiKeyStore apiKeys(Env env) {
        return new DynamoApiKeys(AwsClients.dynamo(env), env.require(Env.TABLE_NAME), Clock.systemUTC());
    }

    /**
     * The summarizer registry as the environment configures it: provider keys and base URLs by the
     * vendors' variable names (then the provider-keys secret), the failover chains, whether the
     * extractive summarizer is the last resort, and how to reach Bedrock.
     */
    public static Summarizers summarizers(Env env) {
        AwsCredentialsProvider credentials = AwsClients.credentials(env);
        ProviderEnv providerEnv = new ProviderEnv(env::get, providerKeys(env));
        FailoverChains failover;
        try {
            failover = FailoverChains.parse(env.get(Env.SUMMARIZER_FAILOVER, FailoverChains.DEFAULT));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(Env.SUMMARIZER_FAILOVER + ": " + e.getMessage(), e);
        }
        String bedrockEndpoint = env.endpoint("BEDROCK_RUNTIME");
        ProviderApis apis = new ProviderApis(providerEnv,
                new ProviderApis.BedrockAccess(env.region(), bedrockEndpoint == null ? null : URI.create(bedrockEndpoint), credentials));
        return new Summarizers(apis, failover, env.flag(Env.EXTRACTIVE_FALLBACK, false), Retrier.standard(), Clock.systemUTC());
    }

    /** Where provider keys come from besides the environment: the secret or the parameter the environment names, if any. */
    private static Supplier<Map<String, String>> providerKeys(Env env) {
        String secret = env.get(Env.PROVIDER_KEYS_SECRET_ARN);
        String parameter = env.get(Env.PROVIDER_KEYS_PARAMETER_ARN);
        if (secret != null && parameter != null) {
            throw new IllegalStateException("Set " + Env.PROVIDER_KEYS_SECRET_ARN + " or " + Env.PROVIDER_KEYS_PARAMETER_ARN
                    + ", not both: the provider keys have one home");
        }
        if (secret != null) {
            return ProviderKeysSecret.secretsManager(secret, () -> AwsClients.secretsManager(env));
        }
        if (parameter != null) {
            return ProviderKeysSecret.parameterStore(parameter, awsCall(env, "ssm", "SSM"));
        }
        return Map::of;
    }

    /** @param endpointSuffix the service's {@code AWS_ENDPOINT_URL_<SUFFIX>} override */
    private static AwsJsonCall awsCall(Env env, String service, String endpointSuffix) {
        String endpoint = env.endpoint(endpointSuffix);
        return new AwsJsonCall(service, env.region(), endpoint == null ? null : URI.create(endpoint), AwsClients.credentials(env),
                AWS_CALL_TIMEOUT);
    }

    /**
     * Builds the deployment's default summarizer (its client, not a model call) and writes and
     * reads every HTTP dialect's wire bodies once ({@link WirePriming}), so the first compaction
     * after a SnapStart restore pays for neither, whichever provider its agent names.
     */
    public void primeSummarizers() {
        if (deploymentDefault != null) {
            summarizerPrimer.accept(deploymentDefault);
        }
        WirePriming.prime();
    }

    public UsageStore usage() {
        return usage;
    }

    public JobStore jobs() {
        return jobs;
    }

    public ConversationPurges purges() {
        return purges;
    }

    public AgentPurges agentPurges() {
        return agentPurges;
    }

    public HistoryRetention retention() {
        return retention;
    }

    /** How long released history is kept: the agent's period, else the deployment's. */
    public RetentionPolicy retentionPolicy() {
        return retentionPolicy;
    }

    /** The largest conversation, in items, purged within the request that asks for it. */
    public long purgeInlineMaxItems() {
        return purgeInlineMaxItems;
    }

    /** The asynchronous compaction worker, or null when this deployment has none. */
    public LambdaInvoker worker() {
        return worker;
    }

    /** Where committed changes are announced ({@link EventPublisher#NONE} without {@code EVENT_BUS_NAME}). */
    public EventPublisher events() {
        return events;
    }

    public Metrics metrics() {
        return metrics;
    }

    public Env env() {
        return env;
    }

    public DynamoDbClient dynamo() {
        return dynamo;
    }

    public ConversationStore store() {
        return store;
    }

    public CompactionService compaction() {
        return compaction;
    }

    public Clock clock() {
        return clock;
    }

    /** How long a running compaction's lease, and an asynchronous job's claim, lasts between heartbeats. */
    public LeaseRenewal leaseRenewal() {
        return leaseRenewal;
    }

    /** The lease and heartbeat the two settings name, in seconds, each defaulting to {@code defaults}' own. */
    private static LeaseRenewal leaseRenewal(Env env, String leaseSeconds, String heartbeatSeconds, LeaseRenewal defaults) {
        Duration lease = seconds(env.number(leaseSeconds, defaults.lease().toMillis() / 1000.0));
        Duration heartbeat = seconds(env.number(heartbeatSeconds, defaults.heartbeat().toMillis() / 1000.0));
        try {
            return new LeaseRenewal(lease, heartbeat);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(leaseSeconds + ", " + heartbeatSeconds + ": " + e.getMessage(), e);
        }
    }

    private static Duration seconds(double value) {
        return Duration.ofMillis(Math.round(value * 1000));
    }

    /** Closes the DynamoDB client. The summarizers' HTTP client is the process's shared one and stays open. */
    @Override
    public void close() {
        dynamo.close();
    }
}
