package dev.compactor.local.testing;

import dev.compactor.app.Services;
import dev.compactor.llm.ModelHandle;
import dev.compactor.llm.Summarizer;
import dev.compactor.local.runtime.LocalQueues;
import dev.compactor.local.runtime.SamTemplate;
import dev.compactor.support.Env;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The DynamoDB and SQS that the store and queue contract tests run against, so each test is
 * written once: {@link #emulators()} (DynamoDB Local and ElasticMQ in the test JVM, what every run
 * here uses) or {@link LocalStackBackend} (LocalStack in Docker, where an engine answers). Each
 * test gets fresh tables and queues from {@code template.yaml}; the servers live for the run.
 */
public interface Backend {
    /** DynamoDB Local and ElasticMQ, shared with the other tests of the run ({@link TestDynamo}, {@link TestSqs}). */
    static Backend emulators() {
        return Emulators.INSTANCE;
    }

    SamTemplate template();

    /** A new, empty table with the template's definition. */
    String newTable();

    /** The template's queues, new and empty. */
    LocalQueues newQueues();

    /** The environment the API function gets against {@code table}. */
    Env env(String table);

    /** The environment the discovery function gets against {@code table} and {@code queues}, with {@code extra} laid over it. */
    Env discoveryEnv(String table, LocalQueues queues, Map<String, String> extra);

    /** A client for setup and inspection, or one that runs {@code interceptors} on every call (to inject failures). */
    DynamoDbClient dynamoClient(ExecutionInterceptor... interceptors);

    /** The function's services against {@code table} with the given summarizers (closed when the run ends). */
    Services services(String table, Function<ModelHandle, Summarizer> summarizers);

    /** As {@link #services(String, Function)}, their DynamoDB client running {@code interceptor} on every call. */
    Services services(String table, Function<ModelHandle, Summarizer> summarizers, ExecutionInterceptor interceptor);

    SqsClient sqs();

    /** Every item of partition {@code pk} of {@code table}, in key order (to compare a conversation before and after). */
    default List<Map<String, AttributeValue>> partition(String table, String pk) {
        try (DynamoDbClient client = dynamoClient()) {
            List<Map<String, AttributeValue>> items = new ArrayList<>();
            client.queryPaginator(r -> r.tableName(table).consistentRead(true).keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk)))).items().forEach(items::add);
            return items;
        }
    }

    /** Receives and deletes every message the queue holds. */
    default List<String> drain(String queueUrl) {
        List<String> bodies = new ArrayList<>();
        while (true) {
            List<Message> messages = sqs().receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10)).messages();
            if (messages.isEmpty()) {
                return bodies;
            }
            for (Message m : messages) {
                bodies.add(m.body());
                sqs().deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            }
        }
    }

    /** The emulators in the test JVM, through the fixtures every other test uses; ElasticMQ starts only when a test needs queues. */
    enum Emulators implements Backend {
        INSTANCE;

        @Override
        public SamTemplate template() {
            return TestDynamo.get().template;
        }

        @Override
        public String newTable() {
            return TestDynamo.get().newTable();
        }

        @Override
        public LocalQueues newQueues() {
            return TestSqs.get().newQueues();
        }

        @Override
        public Env env(String table) {
            return TestDynamo.get().env(table);
        }

        @Override
        public Env discoveryEnv(String table, LocalQueues queues, Map<String, String> extra) {
            return TestDynamo.get().discoveryEnv(table, queues, extra);
        }

        @Override
        public DynamoDbClient dynamoClient(ExecutionInterceptor... interceptors) {
            return TestDynamo.get().dynamo.client(interceptors);
        }

        @Override
        public Services services(String table, Function<ModelHandle, Summarizer> summarizers) {
            return TestDynamo.get().services(table, summarizers);
        }

        @Override
        public Services services(String table, Function<ModelHandle, Summarizer> summarizers, ExecutionInterceptor interceptor) {
            return TestDynamo.get().services(table, summarizers, interceptor);
        }

        @Override
        public SqsClient sqs() {
            return TestSqs.get().sqs.client();
        }

        @Override
        public List<Map<String, AttributeValue>> partition(String table, String pk) {
            return TestDynamo.get().partition(table, pk);
        }

        @Override
        public List<String> drain(String queueUrl) {
            return TestSqs.get().drain(queueUrl);
        }
    }
}
