package dev.compactor.app;

import dev.compactor.support.Env;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Builds AWS SDK clients once per container, configured explicitly (region, credentials, one
 * light HTTP client, timeouts) so nothing is discovered at cold start.
 */
public final class AwsClients {
    private AwsClients() {}

    public static DynamoDbClient dynamo(Env env) {
        return configured(DynamoDbClient.builder(), env, "DYNAMODB")
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(10))
                        .apiCallAttemptTimeout(Duration.ofSeconds(4)))
                .build();
    }

    /**
     * SQS without the SDK's retries (the sender retries whole batches and single failed entries
     * itself, with {@link dev.compactor.support.Backoff}) and without its MD5 check of the echoed
     * bodies, which HTTPS already protects.
     */
    public static SqsClient sqs(Env env) {
        return configured(SqsClient.builder(), env, "SQS")
                .checksumValidationEnabled(false)
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(10))
                        .retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    /** Secrets Manager without the SDK's retries: the provider-keys reader retries with {@link dev.compactor.support.Backoff}. */
    public static SecretsManagerClient secretsManager(Env env) {
        return configured(SecretsManagerClient.builder(), env, "SECRETS_MANAGER")
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(5))
                        .retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    /** @param endpointSuffix the service's {@code AWS_ENDPOINT_URL_<SUFFIX>} override */
    private static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B configured(B builder, Env env,
                                                                                                   String endpointSuffix) {
        builder.httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(Duration.ofSeconds(5))
                        .build())
                .region(Region.of(env.region()))
                .credentialsProvider(credentials(env));
        String endpoint = env.endpoint(endpointSuffix);
        if (endpoint != null) {
            builder.endpointOverride(URI.create(endpoint));
        }
        return builder;
    }

    /**
     * Keys from the environment when present (Lambda without SnapStart, local runs); otherwise the
     * default chain, which covers SnapStart's container credentials and local profiles.
     */
    public static AwsCredentialsProvider credentials(Env env) {
        String key = env.get("AWS_ACCESS_KEY_ID");
        String secret = env.get("AWS_SECRET_ACCESS_KEY");
        if (key != null && secret != null) {
            String token = env.get("AWS_SESSION_TOKEN");
            return StaticCredentialsProvider.create(token == null
                    ? AwsBasicCredentials.create(key, secret)
                    : AwsSessionCredentials.create(key, secret, token));
        }
        return DefaultChain.PROVIDER;
    }

    /**
     * One default chain per container, shared by every client and signed call: each instance
     * would fetch and refresh the container credentials on its own.
     */
    private static final class DefaultChain {
        static final AwsCredentialsProvider PROVIDER = DefaultCredentialsProvider.builder().build();
    }
}
