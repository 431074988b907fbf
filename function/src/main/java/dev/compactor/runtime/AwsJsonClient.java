package dev.compactor.runtime;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;

/**
 * Calls one AWS service's JSON-protocol API ({@code X-Amz-Target} operations): each request signed
 * with the SDK's SigV4 signer (already in the artifact) and sent with the JDK HTTP client. For the
 * single operations that do not justify a whole SDK service module in the artifact.
 */
public final class AwsJsonClient {
    private static final Set<String> SET_BY_JDK = Set.of("host", "content-length");

    private final String signingName;
    private final String protocol;
    private final String region;
    private final URI endpoint;
    private final AwsCredentialsProvider credentials;
    private final Duration timeout;
    /** Built on the first call: a container that never calls pays nothing for it. */
    private HttpClient http;

    /**
     * @param signingName the service's SigV4 name ({@code sqs}, {@code secretsmanager})
     * @param jsonVersion the service's AWS JSON protocol version, {@code 1.0} or {@code 1.1}
     * @param endpoint the endpoint override, or null for the region's
     */
    public AwsJsonClient(String signingName, String jsonVersion, String region, URI endpoint, AwsCredentialsProvider credentials,
                         Duration timeout) {
        this.signingName = signingName;
        this.protocol = "application/x-amz-json-" + jsonVersion;
        this.region = region;
        this.endpoint = endpoint != null ? endpoint
                : URI.create("https://" + signingName + "." + region + ".amazonaws.com" + (region.startsWith("cn-") ? ".cn" : "") + "/");
        this.credentials = credentials;
        this.timeout = timeout;
    }

    /** Sends operation {@code target} (for example {@code AmazonSQS.SendMessageBatch}) with a JSON body. */
    public HttpResponse<String> post(String target, String jsonBody) throws IOException, InterruptedException {
        byte[] body = jsonBody.getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(endpoint)
                .putHeader("Content-Type", protocol)
                .putHeader("X-Amz-Target", target)
                .build();
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(credentials.resolveCredentials())
                .request(unsigned)
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, signingName)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)).request();
        HttpRequest.Builder request = HttpRequest.newBuilder(signed.getUri()).timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        signed.forEachHeader((name, values) -> {
            if (!SET_BY_JDK.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> request.header(name, v));
            }
        });
        return http().send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private synchronized HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder().connectTimeout(timeout).build();
        }
        return http;
    }
}
