package dev.compactor.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;

/**
 * One AWS API call: a JSON request signed with the SDK's SigV4 signer (already in the artifact)
 * and sent with the JDK HTTP client. For the few single calls the function makes to services it
 * has no SDK module for (Secrets Manager, SSM Parameter Store, Lambda's Invoke, SQS's
 * SendMessageBatch), each module
 * would add most of a megabyte to the artifact for one operation.
 */
public final class AwsJsonCall {
    private static final Set<String> SET_BY_JDK = Set.of("host", "content-length");

    /** The service's answer: its status and body (an empty map when the body is not a JSON object). */
    public record Response(int status, Map<String, Object> json) {}

    private final String service;
    private final String region;
    private final URI endpoint;
    private final AwsCredentialsProvider credentials;
    private final Duration timeout;
    private volatile HttpClient http;

    /**
     * @param service the service's signing name, also its regional host's prefix ({@code ssm} in
     *     {@code ssm.us-east-1.amazonaws.com})
     * @param endpoint the endpoint override, or null for the regional endpoint
     */
    public AwsJsonCall(String service, String region, URI endpoint, AwsCredentialsProvider credentials, Duration timeout) {
        this.service = service;
        this.region = region;
        this.endpoint = endpoint != null ? endpoint : URI.create("https://" + service + "." + region + ".amazonaws.com"
                + (region.startsWith("cn-") ? ".cn" : ""));
        this.credentials = credentials;
        this.timeout = timeout;
    }

    /**
     * POSTs {@code body} to {@code encodedPath}.
     *
     * @throws IOException when the service cannot be reached
     */
    public Response post(String encodedPath, Map<String, String> headers, Object body) throws IOException, InterruptedException {
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.POST)
                .uri(URI.create(endpoint.toString().replaceAll("/+$", "") + encodedPath));
        headers.forEach(unsigned::putHeader);
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(credentials.resolveCredentials())
                .request(unsigned.build())
                .payload(ContentStreamProvider.fromByteArray(bytes))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)).request();
        HttpRequest.Builder request = HttpRequest.newBuilder(signed.getUri()).timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        signed.forEachHeader((name, values) -> {
            if (!SET_BY_JDK.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> request.header(name, v));
            }
        });
        HttpResponse<String> response = http().send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Response(response.statusCode(), parse(response.body()));
    }

    private HttpClient http() {
        HttpClient client = http;
        if (client == null) {
            synchronized (this) {
                if (http == null) {
                    http = HttpClient.newBuilder().connectTimeout(timeout).build();
                }
                client = http;
            }
        }
        return client;
    }

    private static Map<String, Object> parse(String body) {
        try {
            return Json.parseObject(body);
        } catch (RuntimeException e) {
            return Map.of();
        }
    }
}
