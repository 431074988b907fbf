package dev.compactor.local.acceptance;

import dev.compactor.local.testing.Backend;
import dev.compactor.local.testing.DockerAvailable;
import dev.compactor.local.testing.LocalStackBackend;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link RedeliveryTest} (batch redelivery) against LocalStack's DynamoDB and SQS; skipped where no Docker engine answers. */
@ExtendWith(DockerAvailable.class)
class RedeliveryOnLocalStackTest extends RedeliveryTest {
    @Override
    Backend backend() {
        return LocalStackBackend.get();
    }
}
