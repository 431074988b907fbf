package dev.compactor.local.testing;

import dev.compactor.app.AwsClients;
import dev.compactor.app.Services;
import dev.compactor.llm.ModelHandle;
import dev.compactor.llm.Summarizer;
import dev.compactor.local.emulator.LocalDynamo;
import dev.compactor.local.emulator.LocalSqs;
import dev.compactor.local.runtime.FunctionHost;
import dev.compactor.local.runtime.LocalQueues;
import dev.compactor.local.runtime.SamTemplate;
import dev.compactor.support.Env;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * LocalStack's DynamoDB and SQS in one container, started on first use through Testcontainers
 * and stopped by {@link StopSharedServers} when the run ends. Only the contract tests' LocalStack
 * variants use it, and those run only where a Docker engine answers ({@link DockerAvailable}).
 */
public final class LocalStackBackend implements Backend {
    /** A pinned image: a newer LocalStack may ask for an account token. */
    static final DockerImageName IMAGE = DockerImageName.parse("localstack/localstack:3.8.1");
    private static LocalStackBackend shared;

    private final LocalStackContainer container;
    private final String endpoint;
    private final SqsClient sqs;
    private final SamTemplate template = SamTemplate.load(TestDynamo.TEMPLATE);
    private final AtomicInteger names = new AtomicInteger();
    private final Queue<Services> built = new ConcurrentLinkedQueue<>();

    private LocalStackBackend() {
        // Queue URLs on the address the client called (the mapped port), not on LocalStack's own host name.
        container = new LocalStackContainer(IMAGE).withServices(LocalStackContainer.Service.DYNAMODB, LocalStackContainer.Service.SQS)
                .withEnv("SQS_ENDPOINT_STRATEGY", "path");
        container.start();
        endpoint = container.getEndpoint().toString();
        sqs = LocalSqs.client(endpoint);
    }

    public static synchronized LocalStackBackend get() {
        if (shared == null) {
            shared = new LocalStackBackend();
        }
        return shared;
    }

    /** Closes the services built here and stops the container, if this run started it. */
    static synchronized void stop() {
        if (shared == null) {
            return;
        }
        try {
            for (Services services = shared.built.poll(); services != null; services = shared.built.poll()) {
                services.close();
            }
            shared.sqs.close();
        } finally {
            shared.container.stop();
            shared = null;
        }
    }

    @Override
    public SamTemplate template() {
        return template;
    }

    @Override
    public String newTable() {
        String name = "test-" + names.incrementAndGet();
        LocalDynamo.ensureTable(endpoint, template, name);
        return name;
    }

    @Override
    public LocalQueues newQueues() {
        return LocalSqs.createQueues(sqs, endpoint, template, "test-" + names.incrementAndGet());
    }

    @Override
    public Env env(String table) {
        return new Env(new FunctionHost(template, table, endpoint, Map.of()).environment(template.function("ApiFunction")));
    }

    @Override
    public Env discoveryEnv(String table, LocalQueues queues, Map<String, String> extra) {
        Map<String, String> vars = new HashMap<>(new FunctionHost(template, table, endpoint, Map.of(), () -> queues)
                .environment(template.function("CompactionDiscoveryFunction")));
        vars.putAll(extra);
        return new Env(vars);
    }

    @Override
    public DynamoDbClient dynamoClient(ExecutionInterceptor... interceptors) {
        return LocalDynamo.client(endpoint, interceptors);
    }

    @Override
    public Services services(String table, Function<ModelHandle, Summarizer> summarizers) {
        Env env = env(table);
        return track(new Services(env, AwsClients.dynamo(env), summarizers, Clock.systemUTC()));
    }

    @Override
    public Services services(String table, Function<ModelHandle, Summarizer> summarizers, ExecutionInterceptor interceptor) {
        return track(new Services(env(table), dynamoClient(interceptor), summarizers, Clock.systemUTC()));
    }

    @Override
    public SqsClient sqs() {
        return sqs;
    }

    private Services track(Services services) {
        built.add(services);
        return services;
    }
}
