package dev.compactor.local.providers;

import static dev.compactor.local.providers.ScriptedServer.json;
import static dev.compactor.local.providers.ScriptedServer.sse;
import static dev.compactor.local.providers.TestProviders.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.compactor.app.Services;
import dev.compactor.support.Json;
import dev.compactor.llm.LlmException;
import dev.compactor.llm.ModelHandle;
import dev.compactor.llm.Summarizers;
import dev.compactor.support.Env;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Provider keys from Secrets Manager: a SigV4-signed {@code GetSecretValue} to a local server
 * named by {@code AWS_ENDPOINT_URL_SECRETS_MANAGER}, read once per container and only when a
 * provider needs a key the environment does not have.
 */
class ProviderKeysSecretTest {
    static final String ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:compaction/provider-keys-AbCdEf";

    private ScriptedServer secrets;
    private ScriptedServer anthropic;
    private ScriptedServer bedrock;

    @BeforeEach
    void start() throws IOException {
        secrets = new ScriptedServer();
        anthropic = new ScriptedServer();
        bedrock = new ScriptedServer();
    }

    @AfterEach
    void stop() {
        secrets.close();
        anthropic.close();
        bedrock.close();
    }

    private Summarizers summarizers() {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", TestProviders.CREDENTIALS.accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", TestProviders.CREDENTIALS.secretAccessKey());
        env.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", secrets.uri().toString());
        env.put("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", bedrock.uri().toString());
        env.put("PROVIDER_KEYS_SECRET_ARN", ARN);
        env.put("SUMMARIZER_FAILOVER", "none");
        return Services.summarizers(new Env(env));
    }

    private String secretAnswer() {
        String value = Json.write(Map.of("ANTHROPIC_API_KEY", "sk-ant-from-secret", "ANTHROPIC_BASE_URL", anthropic.uri().toString()));
        return Json.write(Map.of("ARN", ARN, "Name", "compaction/provider-keys", "SecretString", value,
                "VersionId", "a1b2c3", "VersionStages", java.util.List.of("AWSCURRENT"), "CreatedDate", 1767225600.0));
    }

    @Test
    void readsTheSecretOnceAndUsesItsKeys() {
        secrets.then(json(200, secretAnswer()));
        anthropic.then(sse(AnthropicMessagesTest.STREAM));
        var summarizer = summarizers().forModel(ModelHandle.parse("anthropic/claude-haiku-4-5"));

        summarizer.summarize(request("anthropic/claude-haiku-4-5", null));
        summarizer.summarize(request("anthropic/claude-haiku-4-5", null));

        ScriptedServer.Recorded read = secrets.only();
        assertThat(read.path()).isEqualTo("/");
        assertThat(read.header("x-amz-target")).isEqualTo("secretsmanager.GetSecretValue");
        assertThat(read.header("content-type")).isEqualTo("application/x-amz-json-1.1");
        assertThat(read.json()).isEqualTo(Map.of("SecretId", ARN));
        TestProviders.assertSigV4(read, secrets.uri(), "secretsmanager");
        assertThat(anthropic.requests()).hasSize(2).allSatisfy(r -> assertThat(r.header("x-api-key")).isEqualTo("sk-ant-from-secret"));
    }

    @Test
    void aBedrockOnlyContainerNeverReadsIt() {
        bedrock.then(json(200, BedrockConverseTest.ANSWER));

        summarizers().forModel(ModelHandle.parse(BedrockConverseTest.MODEL)).summarize(request(BedrockConverseTest.MODEL, null));

        assertThat(secrets.requests()).isEmpty();
    }

    @Test
    void aSecretThatCannotBeReadIsAnAuthenticationErrorAndIsTriedAgainLater() {
        secrets.then(json(400, "{\"__type\":\"AccessDeniedException\",\"Message\":\"not authorized to perform secretsmanager:GetSecretValue\"}"))
                .then(json(200, secretAnswer()));
        anthropic.then(sse(AnthropicMessagesTest.STREAM));
        var summarizer = summarizers().forModel(ModelHandle.parse("anthropic/claude-haiku-4-5"));

        assertThatThrownBy(() -> summarizer.summarize(request("anthropic/claude-haiku-4-5", null)))
                .isInstanceOfSatisfying(LlmException.class, e -> {
                    assertThat(e.kind()).isEqualTo(LlmException.Kind.AUTHENTICATION);
                    assertThat(e.getMessage()).contains("AccessDeniedException");
                });
        assertThat(summarizer.summarize(request("anthropic/claude-haiku-4-5", null)).text()).isEqualTo("I deployed build 4411.");
        assertThat(secrets.requests()).hasSize(2);
    }

    @Test
    void throttlingAndServerErrorsAreTriedAgain() {
        secrets.then(json(400, "{\"__type\":\"ThrottlingException\",\"Message\":\"Rate exceeded\"}"))
                .then(json(500, "{\"__type\":\"InternalServiceError\"}"))
                .then(json(200, secretAnswer()));
        anthropic.then(sse(AnthropicMessagesTest.STREAM));

        summarizers().forModel(ModelHandle.parse("anthropic/claude-haiku-4-5")).summarize(request("anthropic/claude-haiku-4-5", null));

        assertThat(secrets.requests()).hasSize(3);
        assertThat(anthropic.only().header("x-api-key")).isEqualTo("sk-ant-from-secret");
    }

    @Test
    void aSecretsManagerThatKeepsFailingIsGivenUpOnAfterThreeAttempts() {
        secrets.then(json(500, "{\"__type\":\"InternalServiceError\"}"));

        assertThatThrownBy(() -> summarizers().forModel(ModelHandle.parse("anthropic/claude-haiku-4-5"))
                .summarize(request("anthropic/claude-haiku-4-5", null)))
                .isInstanceOfSatisfying(LlmException.class, e -> {
                    assertThat(e.kind()).isEqualTo(LlmException.Kind.AUTHENTICATION);
                    assertThat(e.getMessage()).contains("InternalServiceError (500)");
                });
        assertThat(secrets.requests()).hasSize(3);
    }
}
