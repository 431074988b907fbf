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
 * Provider keys from SSM Parameter Store: a SigV4-signed {@code GetParameter} with decryption to
 * a local server named by {@code AWS_ENDPOINT_URL_SSM}, read once per container and only when a
 * provider needs a key the environment does not have. A deployment names one home for the keys.
 */
class ProviderKeysParameterTest {
    static final String ARN = "arn:aws:ssm:us-east-1:123456789012:parameter/compaction/provider-keys";

    private ScriptedServer ssm;
    private ScriptedServer anthropic;

    @BeforeEach
    void start() throws IOException {
        ssm = new ScriptedServer();
        anthropic = new ScriptedServer();
    }

    @AfterEach
    void stop() {
        ssm.close();
        anthropic.close();
    }

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", TestProviders.CREDENTIALS.accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", TestProviders.CREDENTIALS.secretAccessKey());
        env.put("AWS_ENDPOINT_URL_SSM", ssm.uri().toString());
        env.put("PROVIDER_KEYS_PARAMETER_ARN", ARN);
        env.put("SUMMARIZER_FAILOVER", "none");
        return env;
    }

    private String parameterAnswer() {
        String value = Json.write(Map.of("ANTHROPIC_API_KEY", "sk-ant-from-parameter", "ANTHROPIC_BASE_URL", anthropic.uri().toString()));
        return Json.write(Map.of("Parameter", Map.of("Name", "/compaction/provider-keys", "Type", "SecureString", "Value", value,
                "Version", 3, "ARN", ARN, "DataType", "text")));
    }

    @Test
    void readsTheParameterOnceDecryptedAndUsesItsKeys() {
        ssm.then(json(200, parameterAnswer()));
        anthropic.then(sse(AnthropicMessagesTest.STREAM));
        var summarizer = Services.summarizers(new Env(env())).forModel(ModelHandle.parse("anthropic/claude-haiku-4-5"));

        summarizer.summarize(request("anthropic/claude-haiku-4-5", null));
        summarizer.summarize(request("anthropic/claude-haiku-4-5", null));

        ScriptedServer.Recorded read = ssm.only();
        assertThat(read.path()).isEqualTo("/");
        assertThat(read.header("x-amz-target")).isEqualTo("AmazonSSM.GetParameter");
        assertThat(read.header("content-type")).isEqualTo("application/x-amz-json-1.1");
        assertThat(read.json()).isEqualTo(Map.of("Name", ARN, "WithDecryption", true));
        TestProviders.assertSigV4(read, ssm.uri(), "ssm");
        assertThat(anthropic.requests()).hasSize(2).allSatisfy(r -> assertThat(r.header("x-api-key")).isEqualTo("sk-ant-from-parameter"));
    }

    @Test
    void aParameterThatCannotBeReadIsAnAuthenticationErrorNamingNoValue() {
        ssm.then(json(400, "{\"__type\":\"ParameterNotFound\",\"message\":\"\"}"));
        Summarizers summarizers = Services.summarizers(new Env(env()));

        assertThatThrownBy(() -> summarizers.forModel(ModelHandle.parse("anthropic/claude-haiku-4-5"))
                .summarize(request("anthropic/claude-haiku-4-5", null)))
                .isInstanceOfSatisfying(LlmException.class, e -> {
                    assertThat(e.kind()).isEqualTo(LlmException.Kind.AUTHENTICATION);
                    assertThat(e.getMessage()).contains("ssm answered 400 ParameterNotFound");
                });
        assertThat(anthropic.requests()).isEmpty();
    }

    @Test
    void throttlingAndServerErrorsAreTriedAgain() {
        ssm.then(json(400, "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}"))
                .then(json(503, "{}"))
                .then(json(200, parameterAnswer()));
        anthropic.then(sse(AnthropicMessagesTest.STREAM));

        Services.summarizers(new Env(env())).forModel(ModelHandle.parse("anthropic/claude-haiku-4-5"))
                .summarize(request("anthropic/claude-haiku-4-5", null));

        assertThat(ssm.requests()).hasSize(3);
        assertThat(anthropic.only().header("x-api-key")).isEqualTo("sk-ant-from-parameter");
    }

    @Test
    void aParameterStoreThatKeepsFailingIsGivenUpOnAfterThreeAttempts() {
        ssm.then(json(500, "{\"__type\":\"InternalServerError\"}"));

        assertThatThrownBy(() -> Services.summarizers(new Env(env())).forModel(ModelHandle.parse("anthropic/claude-haiku-4-5"))
                .summarize(request("anthropic/claude-haiku-4-5", null)))
                .isInstanceOfSatisfying(LlmException.class, e -> assertThat(e.getMessage()).contains("ssm answered 500 InternalServerError"));
        assertThat(ssm.requests()).hasSize(3);
    }

    @Test
    void aSecretAndAParameterTogetherAreRefusedAtStartup() {
        Map<String, String> both = env();
        both.put("PROVIDER_KEYS_SECRET_ARN", ProviderKeysSecretTest.ARN);

        assertThatThrownBy(() -> Services.summarizers(new Env(both))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not both");
    }
}
