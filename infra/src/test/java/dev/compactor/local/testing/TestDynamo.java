package dev.compactor.local.testing;

import dev.compactor.app.AwsClients;
import dev.compactor.app.Services;
import dev.compactor.llm.ModelHandle;
import dev.compactor.llm.Summarizer;
import dev.compactor.local.emulator.LocalDynamo;
import dev.compactor.local.runtime.FunctionHost;
import dev.compactor.local.runtime.LocalQueues;
import dev.compactor.local.runtime.SamTemplate;
import dev.compactor.support.Env;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One DynamoDB Local server per test run; each test gets fresh tables created from
 * {@code template.yaml}, so tests share nothing and can run in any order. {@link StopSharedServers}
 * stops it, and closes the services built here, when the run ends.
 */
public final class TestDynamo {
    public static final Path TEMPLATE = Path.of("..", "template.yaml");
    private static TestDynamo shared;

    public final SamTemplate template = SamTemplate.load(TEMPLATE);
    public final LocalDynamo dynamo = LocalDynamo.start(null);
    private final AtomicInteger tables = new AtomicInteger();
    private final Queue<Services> built = new ConcurrentLinkedQueue<>();

    private TestDynamo() {}

    public static synchronized TestDynamo get() {
        if (shared == null) {
            shared = new TestDynamo();
        }
        return shared;
    }

    /** Closes the services built here, then stops the server, if this run started it. */
    static synchronized void stop() {
        if (shared == null) {
            return;
        }
        try {
            for (Services services = shared.built.poll(); services != null; services = shared.built.poll()) {
                services.close();
            }
        } finally {
            shared.dynamo.close();
            shared = null;
        }
    }

    private Services track(Services services) {
        built.add(services);
        return services;
    }

    /** A new, empty table with the template's definition. */
    public String newTable() {
        String name = "test-" + tables.incrementAndGet();
        dynamo.ensureTable(template, name);
        return name;
    }

    public FunctionHost host(String table) {
        return new FunctionHost(template, table, dynamo.endpoint(), Map.of());
    }

    /** A host whose functions reach {@code queues} in ElasticMQ. */
    public FunctionHost host(String table, LocalQueues queues) {
        return new FunctionHost(template, table, dynamo.endpoint(), Map.of(), () -> queues);
    }

    public Services services(String table) {
        return track(Services.fromEnvironment(env(table)));
    }

    /** The function's services against {@code table}, with the given summarizers. */
    public Services services(String table, Function<ModelHandle, Summarizer> summarizers) {
        return services(table, summarizers, Clock.systemUTC());
    }

    public Services services(String table, Function<ModelHandle, Summarizer> summarizers, Clock clock) {
        Env env = env(table);
        return track(new Services(env, AwsClients.dynamo(env), summarizers, clock));
    }

    /** Services whose DynamoDB client runs {@code interceptor} on every call (to inject failures). */
    public Services services(String table, Function<ModelHandle, Summarizer> summarizers, ExecutionInterceptor interceptor) {
        return services(env(table), summarizers, interceptor);
    }

    /** Services of the function {@code env} configures, whose DynamoDB client runs {@code interceptor} on every call. */
    public Services services(Env env, Function<ModelHandle, Summarizer> summarizers, ExecutionInterceptor interceptor) {
        return track(new Services(env, dynamo.client(interceptor), summarizers, Clock.systemUTC()));
    }

    /** Every item of partition {@code pk} of {@code table}, in key order (to compare a conversation before and after). */
    public List<Map<String, AttributeValue>> partition(String table, String pk) {
        try (DynamoDbClient client = dynamo.client()) {
            List<Map<String, AttributeValue>> items = new ArrayList<>();
            client.queryPaginator(r -> r.tableName(table).consistentRead(true).keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk)))).items().forEach(items::add);
            return items;
        }
    }

    /** The environment the API function gets against {@code table}. */
    public Env env(String table) {
        return new Env(host(table).environment(template.function("ApiFunction")));
    }

    /** The environment the discovery function gets against {@code table} and {@code queues}, with {@code extra} laid over it. */
    public Env discoveryEnv(String table, LocalQueues queues, Map<String, String> extra) {
        Map<String, String> vars = new HashMap<>(host(table, queues).environment(template.function("CompactionDiscoveryFunction")));
        vars.putAll(extra);
        return new Env(vars);
    }
}
