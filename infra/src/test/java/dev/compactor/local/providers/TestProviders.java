package dev.compactor.local.providers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.compactor.conversation.ModelSettings;
import dev.compactor.input.Fields;
import dev.compactor.support.Json;
import dev.compactor.llm.ChatMessage;
import dev.compactor.llm.FailoverChains;
import dev.compactor.llm.ModelHandle;
import dev.compactor.llm.ModelSettingsSchema;
import dev.compactor.llm.ProviderEnv;
import dev.compactor.llm.Retrier;
import dev.compactor.llm.SummaryRequest;
import dev.compactor.llm.Summarizers;
import dev.compactor.llm.providers.ProviderApis;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;

/** Builds summarizers and summary requests the way the engine does, against local provider servers. */
final class TestProviders {
    static final String PROMPT = "Summarize the conversation in under 300 words.";
    static final String ACK = "Understood. I will reply with the summary only.";
    static final String TRANSCRIPT = "<start_transcript>\n[user] deploy api to staging\n[assistant] done: build 4411 is live\n<end_transcript>\n. Generate the summary.";
    static final AwsBasicCredentials CREDENTIALS = AwsBasicCredentials.create("AKIDLOCALTEST", "local-secret-key");

    /** Retries without waiting: the delays the retrier chose are recorded instead of slept. */
    final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());

    Retrier retrier() {
        return new Retrier(Retrier.DEFAULT_MAX_ATTEMPTS, Retrier.DEFAULT_BASE_DELAY, Retrier.DEFAULT_MAX_DELAY,
                Duration.ofMillis(100), Retrier.DEFAULT_MAX_ATTEMPT_TIME, RandomGenerator.of("L64X128MixRandom"),
                Clock.systemUTC(), sleeps::add);
    }

    /** Summarizers with the given provider variables, Bedrock at {@code bedrock}, and no failover. */
    Summarizers summarizers(Map<String, String> env, URI bedrock) {
        return summarizers(env, bedrock, "none", false);
    }

    Summarizers summarizers(Map<String, String> env, URI bedrock, String failover, boolean extractiveLastResort) {
        ProviderApis apis = new ProviderApis(new ProviderEnv(env::get, Map::of),
                new ProviderApis.BedrockAccess("us-east-1", bedrock, StaticCredentialsProvider.create(CREDENTIALS)));
        return new Summarizers(apis, FailoverChains.parse(failover), extractiveLastResort, retrier(), Clock.systemUTC());
    }

    /** Letta's simple-summary layout: the prompt as system, the optional acknowledgement, the transcript. */
    static SummaryRequest request(String handle, String settingsJson, boolean ack, Duration budget) {
        List<ChatMessage> messages = new ArrayList<>();
        if (ack) {
            messages.add(ChatMessage.of("assistant", ACK));
        }
        messages.add(ChatMessage.of("user", TRANSCRIPT));
        return new SummaryRequest(ModelHandle.parse(handle), PROMPT, messages, settings(settingsJson),
                List.of(ChatMessage.of("user", "deploy api to staging"), ChatMessage.of("assistant", "done: build 4411 is live")),
                300, 50_000, Instant.now().plus(budget));
    }

    static SummaryRequest request(String handle, String settingsJson) {
        return request(handle, settingsJson, false, Duration.ofSeconds(20));
    }

    /** {@code model_settings} as the settings parser hands them on (validated and normalised); null for none. */
    static ModelSettings settings(String json) {
        if (json == null) {
            return null;
        }
        Fields fields = new Fields();
        ModelSettings validated = ModelSettingsSchema.validate((ObjectNode) Json.tree(json),
                List.of("body", "compaction_settings", "model_settings"), fields);
        assertThat(fields.errors()).isEmpty();
        return validated;
    }

    /**
     * Checks a request's SigV4 signature by signing the same method, path, signed headers and
     * body again with the same credentials and time, and comparing the Authorization headers.
     */
    static void assertSigV4(ScriptedServer.Recorded r, URI base, String service) {
        String authorization = r.header("authorization");
        assertThat(authorization).startsWith("AWS4-HMAC-SHA256 Credential=" + CREDENTIALS.accessKeyId() + "/")
                .contains("/us-east-1/" + service + "/aws4_request");
        String signedHeaders = authorization.replaceAll(".*SignedHeaders=([^,]+).*", "$1");
        SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(r.method()))
                .uri(URI.create(base + r.path() + (r.query() == null ? "" : "?" + r.query())));
        for (String name : signedHeaders.split(";")) {
            unsigned.putHeader(name, r.header(name));
        }
        Instant signedAt = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC)
                .parse(r.header("x-amz-date"), Instant::from);
        SdkHttpRequest resigned = AwsV4HttpSigner.create().sign(s -> s.identity(CREDENTIALS).request(unsigned.build())
                .payload(ContentStreamProvider.fromByteArray(r.body()))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC))).request();
        assertThat(resigned.firstMatchingHeader("Authorization")).hasValue(authorization);
    }
}
