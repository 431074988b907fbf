package dev.compactor.local.emulator;

import dev.compactor.local.runtime.LocalQueues;
import dev.compactor.local.runtime.SamTemplate;
import java.net.URI;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.scaladsl.Http;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import scala.concurrent.Future;
import scala.concurrent.duration.FiniteDuration;
import scala.jdk.javaapi.FutureConverters;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * ElasticMQ in this JVM, serving SQS's protocols on a loopback port, so the function's own
 * SendMessageBatch and the SDK's client talk to it as they would to SQS. In memory only.
 */
public final class LocalSqs implements AutoCloseable {
    /**
     * How long requests in flight (a long-poll receive, say) may run on once stopping begins.
     * ElasticMQ's own stop grants them a minute, longer than surefire waits for a fork to exit.
     */
    private static final FiniteDuration IN_FLIGHT_GRACE = FiniteDuration.create(1, TimeUnit.SECONDS);
    private static final long STOP_TIMEOUT_SECONDS = 10;

    private final ActorSystem system;
    private final Http.ServerBinding binding;
    private final String endpoint;
    private final SqsClient client;

    private LocalSqs(ActorSystem system, Http.ServerBinding binding, String endpoint) {
        this.system = system;
        this.binding = binding;
        this.endpoint = endpoint;
        this.client = client(endpoint);
    }

    /** A client for any SQS emulator at {@code endpoint} (LocalStack's, say). */
    public static SqsClient client(String endpoint) {
        return SqsClient.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    /** Starts ElasticMQ on its own actor system, so stopping it is ours to bound (see {@link #close}). */
    public static LocalSqs start() {
        ActorSystem system = ActorSystem.create("elasticmq");
        try {
            Http.ServerBinding binding = SQSRestServerBuilder.withActorSystem(system).withInterface("127.0.0.1").withDynamicPort()
                    .withAWSRegion("us-east-1").start().waitUntilStarted();
            return new LocalSqs(system, binding, "http://127.0.0.1:" + binding.localAddress().getPort());
        } catch (RuntimeException e) {
            system.terminate();
            throw e;
        }
    }

    public String endpoint() {
        return endpoint;
    }

    public SqsClient client() {
        return client;
    }

    /**
     * Creates the template's queues as {@code prefix-LogicalId}, with their visibility timeouts
     * and redrive policies (dead-letter queues first).
     */
    public LocalQueues createQueues(SamTemplate template, String prefix) {
        return createQueues(client, endpoint, template, prefix);
    }

    /** As {@link #createQueues(SamTemplate, String)}, through {@code client} on the SQS emulator at {@code endpoint}. */
    public static LocalQueues createQueues(SqsClient client, String endpoint, SamTemplate template, String prefix) {
        List<SamTemplate.Queue> queues = template.queues();
        Map<String, String> urls = new LinkedHashMap<>();
        Map<String, String> arns = new HashMap<>();
        for (boolean deadLetter : List.of(true, false)) {
            for (SamTemplate.Queue q : queues) {
                boolean isDeadLetterQueue = queues.stream().anyMatch(other -> q.logicalId().equals(other.deadLetterQueue()));
                if (isDeadLetterQueue != deadLetter) {
                    continue;
                }
                Map<QueueAttributeName, String> attributes = new HashMap<>();
                attributes.put(QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(q.visibilityTimeoutSeconds()));
                if (q.deadLetterQueue() != null) {
                    attributes.put(QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + arns.get(q.deadLetterQueue())
                            + "\",\"maxReceiveCount\":\"" + q.maxReceiveCount() + "\"}");
                }
                String url = client.createQueue(r -> r.queueName(prefix + "-" + q.logicalId()).attributes(attributes)).queueUrl();
                urls.put(q.logicalId(), url);
                arns.put(q.logicalId(), client.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                        .attributes().get(QueueAttributeName.QUEUE_ARN));
            }
        }
        return new LocalQueues(endpoint, urls, arns);
    }

    /**
     * Stops accepting connections, gives requests in flight {@link #IN_FLIGHT_GRACE}, then ends
     * the actor system, which closes whatever is still open: a few seconds at most.
     */
    @Override
    public void close() {
        client.close();
        try {
            await(binding.terminate(IN_FLIGHT_GRACE));
        } finally {
            await(system.terminate());
        }
    }

    private static void await(Future<?> stopping) {
        try {
            FutureConverters.asJava(stopping).toCompletableFuture().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping ElasticMQ", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("ElasticMQ did not stop within " + STOP_TIMEOUT_SECONDS + " s", e);
        }
    }
}
