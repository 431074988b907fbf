package dev.compactor.local.testing;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Runs a test class only where Testcontainers finds a Docker engine; elsewhere the class is
 * skipped, saying why, before it is built (so no container is asked for).
 */
public final class DockerAvailable implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return DockerClientFactory.instance().isDockerAvailable()
                ? ConditionEvaluationResult.enabled("a Docker engine answers: running against LocalStack")
                : ConditionEvaluationResult.disabled("no Docker engine found: the LocalStack variant is skipped "
                        + "(the same tests ran against DynamoDB Local and ElasticMQ)");
    }
}
