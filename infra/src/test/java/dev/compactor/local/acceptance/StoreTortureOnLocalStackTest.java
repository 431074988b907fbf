package dev.compactor.local.acceptance;

import dev.compactor.local.testing.Backend;
import dev.compactor.local.testing.DockerAvailable;
import dev.compactor.local.testing.LocalStackBackend;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link StoreTortureTest} (appends racing compactions) against LocalStack's DynamoDB and SQS; skipped where no Docker engine answers. */
@ExtendWith(DockerAvailable.class)
class StoreTortureOnLocalStackTest extends StoreTortureTest {
    @Override
    Backend backend() {
        return LocalStackBackend.get();
    }
}
