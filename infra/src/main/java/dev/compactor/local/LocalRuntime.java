package dev.compactor.local;

import dev.compactor.runtime.Env;
import dev.compactor.runtime.Services;
import java.nio.file.Path;
import java.util.Map;

/**
 * What every subcommand needs: the template, DynamoDB Local with the template's table, and the
 * functions hosted against it.
 */
final class LocalRuntime implements AutoCloseable {
    final SamTemplate template;
    final LocalDynamo dynamo;
    final FunctionHost host;
    final String tableName;

    private LocalRuntime(SamTemplate template, LocalDynamo dynamo, FunctionHost host, String tableName) {
        this.template = template;
        this.dynamo = dynamo;
        this.host = host;
        this.tableName = tableName;
    }

    static LocalRuntime start(Path dataDir, Path templatePath, Map<String, String> processEnvironment) {
        SamTemplate template = SamTemplate.load(templatePath);
        LocalDynamo dynamo = LocalDynamo.start(dataDir);
        try {
            String table = template.tableLogicalId();
            dynamo.ensureTable(template, table);
            return new LocalRuntime(template, dynamo, new FunctionHost(template, table, dynamo.endpoint(), processEnvironment), table);
        } catch (RuntimeException e) {
            dynamo.close();
            throw e;
        }
    }

    /** The function code's services, configured exactly as the named function sees them. */
    Services services(String functionLogicalId) {
        return Services.fromEnvironment(new Env(host.environment(template.function(functionLogicalId))));
    }

    /** The function serving an API route. */
    String functionFor(String method, String path) {
        return template.functions().stream()
                .filter(f -> f.routes().contains(new SamTemplate.Route(method, path)))
                .map(SamTemplate.Function::logicalId).findFirst()
                .orElseThrow(() -> new IllegalStateException("no function serves " + method + " " + path));
    }

    @Override
    public void close() {
        host.close();
        dynamo.close();
    }
}
