package dev.compactor.local.emulator;

import dev.compactor.local.runtime.LocalQueues;
import dev.compactor.local.runtime.SamTemplate;
import java.net.URI;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
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
    private final SQSRestServer server;
    private final String endpoint;
    private final SqsClient client;

    private LocalSqs(SQSRestServer server, String endpoint) {
        this.server = server;
        this.endpoint = endpoint;
        this.client = SqsClient.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    public static LocalSqs start() {
        SQSRestServer server = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().withAWSRegion("us-east-1").start();
        int port = server.waitUntilStarted().localAddress().getPort();
        return new LocalSqs(server, "http://127.0.0.1:" + port);
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

    @Override
    public void close() {
        client.close();
        server.stopAndWait();
    }
}
