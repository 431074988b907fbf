package dev.compactor.local.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.compactor.local.providers.ScriptedServer;
import dev.compactor.support.AwsJsonCall;
import dev.compactor.support.LambdaInvoker;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Lambda's Invoke, signed by hand: throttling and server errors are tried again, at most
 * {@link AwsJsonCall#MAX_ATTEMPTS} times; a refused event fails at once.
 */
class LambdaInvokerTest {
    private static LambdaInvoker invoker(ScriptedServer lambda) {
        return new LambdaInvoker("compaction-worker", new AwsJsonCall("lambda", "us-east-1", lambda.uri(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDLOCAL", "secret")), Duration.ofSeconds(5)));
    }

    @Test
    void throttlingAndServerErrorsAreTriedAgain() throws IOException {
        try (ScriptedServer lambda = new ScriptedServer()
                .then(ScriptedServer.json(429, "{\"Type\": \"User\", \"message\": \"Rate exceeded\"}"))
                .then(ScriptedServer.json(502, "{}"))
                .then(ScriptedServer.json(202, ""))) {

            invoker(lambda).invokeAsync(Map.of("job", "j1"));

            assertThat(lambda.requests()).hasSize(3).allSatisfy(r -> {
                assertThat(r.path()).isEqualTo("/2015-03-31/functions/compaction-worker/invocations");
                assertThat(r.header("X-Amz-Invocation-Type")).isEqualTo("Event");
                assertThat(r.json()).isEqualTo(Map.of("job", "j1"));
            });
        }
    }

    @Test
    void givesUpAfterItsAttempts() throws IOException {
        try (ScriptedServer lambda = new ScriptedServer().then(ScriptedServer.json(500, "{\"Type\": \"Service\"}"))) {
            assertThatThrownBy(() -> invoker(lambda).invokeAsync(Map.of("job", "j1"))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("500 Service");
            assertThat(lambda.requests()).hasSize(AwsJsonCall.MAX_ATTEMPTS);
        }
    }

    @Test
    void aRefusedEventFailsAtOnce() throws IOException {
        try (ScriptedServer lambda = new ScriptedServer()
                .then(ScriptedServer.json(400, "{\"Type\": \"User\", \"message\": \"bad payload\"}"))) {
            assertThatThrownBy(() -> invoker(lambda).invokeAsync(Map.of("job", "j1"))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("400 User");
            assertThat(lambda.requests()).hasSize(1);
        }
    }
}
