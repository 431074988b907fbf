package dev.compactor.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.conversation.CompactionJob;
import dev.compactor.local.testing.TestDynamo;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The template wires what the code relies on: an authorizer before every route, and the worker's retries the job lease expects. */
public class PayPerCallTemplateTest {
    private static final SamTemplate TEMPLATE = SamTemplate.load(TestDynamo.TEMPLATE);

    @Test
    void everyRouteGoesThroughTheApiKeyAuthorizer() {
        SamTemplate.Function api = TEMPLATE.function("ApiFunction");

        assertThat(api.routes()).isNotEmpty().allSatisfy(route ->
                assertThat(TEMPLATE.authorizerFunction(api.logicalId(), route)).isEqualTo("AuthorizerFunction"));
        assertThat(TEMPLATE.function("AuthorizerFunction").handlerClass()).isEqualTo("dev.compactor.access.ApiKeyAuthorizer");
        assertThat(TEMPLATE.functionServing("GET", "/v1/usage")).hasValueSatisfying(f -> assertThat(f.logicalId()).isEqualTo("ApiFunction"));
        assertThat(TEMPLATE.functionServing("GET", "/v1/compactions/{job_id}"))
                .hasValueSatisfying(f -> assertThat(f.logicalId()).isEqualTo("ApiFunction"));
    }

    @Test
    void theWorkerIsRetriedAsOftenAsAJobMayBeClaimedAndTheApiKnowsItsName() {
        SamTemplate.Function worker = TEMPLATE.function("CompactionWorkerFunction");

        assertThat(worker.handlerClass()).isEqualTo("dev.compactor.api.CompactionWorkerHandler");
        assertThat(1 + worker.asyncRetries()).isEqualTo(CompactionJob.MAX_ATTEMPTS);
        Map<String, String> apiEnvironment = TEMPLATE.resolveEnvironment(TEMPLATE.function("ApiFunction"), "t");
        assertThat(apiEnvironment).containsEntry("COMPACTION_WORKER_FUNCTION", "CompactionWorkerFunction")
                .containsEntry("METRICS_NAMESPACE", "Compaction/local");
    }
}
