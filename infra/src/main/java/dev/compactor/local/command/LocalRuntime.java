package dev.compactor.local.command;

import dev.compactor.app.Services;
import dev.compactor.local.emulator.LocalDynamo;
import dev.compactor.local.emulator.LocalSqs;
import dev.compactor.local.runtime.FunctionHost;
import dev.compactor.local.runtime.LocalQueues;
import dev.compactor.local.runtime.SamTemplate;
import dev.compactor.support.Env;
import java.nio.file.Path;
import java.util.Map;

/**
 * What every subcommand needs: the template, DynamoDB Local with the template's table, and the
 * functions hosted against it; ElasticMQ with the template's queues is started when a function
 * that names a queue is first hosted.
 */
public final class LocalRuntime implements AutoCloseable {
    public final SamTemplate template;
    public final LocalDynamo dynamo;
    public final FunctionHost host;
    public final String tableName;
    private LocalSqs sqs;
    private LocalQueues queues;

    private LocalRuntime(SamTemplate template, LocalDynamo dynamo, String tableName, Map<String, String> processEnvironment) {
        this.template = template;
        this.dynamo = dynamo;
        this.tableName = tableName;
        this.host = new FunctionHost(template, tableName, dynamo.endpoint(), processEnvironment, this::queues);
    }

    public static LocalRuntime start(Path dataDir, Path templatePath, Map<String, String> processEnvironment) {
        SamTemplate template = SamTemplate.load(templatePath);
        LocalDynamo dynamo = LocalDynamo.start(dataDir);
        try {
            String table = template.table().logicalId();
            dynamo.ensureTable(template, table);
            return new LocalRuntime(template, dynamo, table, processEnvironment);
        } catch (RuntimeException e) {
            dynamo.close();
            throw e;
        }
    }

    /** The function code's services, configured exactly as the named function sees them. */
    public Services services(String functionLogicalId) {
        return Services.fromEnvironment(new Env(host.environment(template.function(functionLogicalId))));
    }

    /** The function serving an API route. */
    public String functionFor(String method, String path) {
        return template.functionServing(method, path).map(SamTemplate.Function::logicalId)
                .orElseThrow(() -> new IllegalStateException("no function serves " + method + " " + path));
    }

    /** The template's queues in ElasticMQ, started on first use. */
    public synchronized LocalQueues queues() {
        if (queues == null) {
            sqs = LocalSqs.start();
            queues = sqs.createQueues(template, "local");
        }
        return queues;
    }

    public synchronized LocalSqs sqs() {
        queues();
        return sqs;
    }

    @Override
    public void close() {
        try {
            host.close();
            if (sqs != null) {
                sqs.close();
            }
        } finally {
            dynamo.close();
        }
    }
}
