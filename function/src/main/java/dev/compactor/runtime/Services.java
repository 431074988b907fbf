package dev.compactor.runtime;

import dev.compactor.compaction.CompactionService;
import dev.compactor.compaction.Compactor;
import dev.compactor.compaction.MessageTokens;
import dev.compactor.compaction.ModelChoice;
import dev.compactor.compaction.QualityGates;
import dev.compactor.conversation.ConversationStore;
import dev.compactor.conversation.DuePolicy;
import dev.compactor.conversation.DynamoConversationStore;
import dev.compactor.llm.FailoverChains;
import dev.compactor.llm.LlmException;
import dev.compactor.llm.ModelHandle;
import dev.compactor.llm.ProviderEnv;
import dev.compactor.llm.Retrier;
import dev.compactor.llm.Summarizer;
import dev.compactor.llm.Summarizers;
import java.net.URI;
import java.time.Clock;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The function's object graph, built once per container from the environment. */
public final class Services {
    /** Share of an agent's context window at which its conversation becomes due for scheduled compaction. */
    public static final double DEFAULT_DUE_FRACTION = 0.9;

    private final Env env;
    private final DynamoDbClient dynamo;
    private final ConversationStore store;
    private final CompactionService compaction;
    private final Clock clock;

    /**
     * @param summarizers finds the summarizer for a model handle ({@link Summarizers#forModel} in production)
     */
    public Services(Env env, DynamoDbClient dynamo, Function<ModelHandle, Summarizer> summarizers, Clock clock) {
        this.env = env;
        this.dynamo = dynamo;
        this.clock = clock;
        MessageTokens tokens = MessageTokens.approximate();
        DuePolicy duePolicy;
        try {
            duePolicy = new DuePolicy(env.number(Env.DUE_THRESHOLD_FRACTION, DEFAULT_DUE_FRACTION),
                    env.number(Env.IDLE_THRESHOLD_FRACTION, 0));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(Env.DUE_THRESHOLD_FRACTION + ", " + Env.IDLE_THRESHOLD_FRACTION + ": " + e.getMessage(), e);
        }
        this.store = new DynamoConversationStore(dynamo, env.require(Env.TABLE_NAME), tokens::estimate, duePolicy, clock);
        String defaultModel = env.get(Env.DEFAULT_SUMMARIZER_MODEL);
        ModelHandle deploymentDefault = ModelHandle.parse(defaultModel);
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
        this.compaction = new CompactionService(store, new Compactor(summarizers, tokens, clock, new QualityGates(minRetention)),
                new ModelChoice(deploymentDefault), clock);
    }

    public static Services fromEnvironment(Env env) {
        return new Services(env, AwsClients.dynamo(env), summarizers(env)::forModel, Clock.systemUTC());
    }

    /**
     * The summarizer registry as the environment configures it: provider keys and base URLs by the
     * vendors' variable names (then the provider-keys secret), the failover chains, whether the
     * extractive summarizer is the last resort, and how to reach Bedrock.
     */
    public static Summarizers summarizers(Env env) {
        AwsCredentialsProvider credentials = AwsClients.credentials(env);
        String secretsEndpoint = env.endpoint("SECRETS_MANAGER");
        ProviderEnv providerEnv = new ProviderEnv(env::get, new ProviderKeysSecret(env.get(Env.PROVIDER_KEYS_SECRET_ARN),
                env.region(), secretsEndpoint == null ? null : URI.create(secretsEndpoint), credentials));
        FailoverChains failover;
        try {
            failover = FailoverChains.parse(env.get(Env.SUMMARIZER_FAILOVER, FailoverChains.DEFAULT));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(Env.SUMMARIZER_FAILOVER + ": " + e.getMessage(), e);
        }
        String bedrockEndpoint = env.endpoint("BEDROCK_RUNTIME");
        return new Summarizers(providerEnv, failover, env.flag(Env.EXTRACTIVE_FALLBACK, false), Retrier.standard(),
                new Summarizers.BedrockAccess(env.region(), bedrockEndpoint == null ? null : URI.create(bedrockEndpoint), credentials),
                Clock.systemUTC());
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
}
