package dev.compactor.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;

/**
 * One AWS API call: a JSON request signed with the SDK's SigV4 signer (already in the artifact)
 * and sent with the {@link SharedHttpClient}. For SSM Parameter Store's GetParameter and Lambda's
 * Invoke, whose SDK modules would add 5.7 and 3.2 MB to the artifact for one operation each.
 * Throttling, 5xx answers and failed connections are tried again, at most {@link #MAX_ATTEMPTS}
 * times in all, waiting as {@link Backoff#AWS} says.
 */
public final class AwsJsonCall {
    public static final int MAX_ATTEMPTS = 3;
    private static final Set<String> SET_BY_JDK = Set.of("host", "content-length");

    /** The service's answer: its status and body (a missing node when the body is not JSON). */
    public record Response(int status, JsonNode json) {
        /** The error's type (Lambda's {@code Type}, else {@code __type}), or "" when there is none. */
        public String errorType() {
            return json.path("Type").asText(json.path("__type").asText(""));
        }

        boolean retryable() {
            return status == 429 || status >= 500 || errorType().toLowerCase(Locale.ROOT).contains("throttl");
        }
    }

    private final String service;
    private final String region;
    private final URI endpoint;
    private final AwsCredentialsProvider credentials;
    private final Duration timeout;

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
     * POSTs {@code body} to {@code encodedPath}, trying again while the failure is transient.
     *
     * @return the last answer, which may be a refusal
     * @throws IOException when the service cannot be reached on the last attempt
     */
    public Response post(String encodedPath, Map<String, String> headers, Object body) throws IOException, InterruptedException {
        byte[] bytes;
        try {
            bytes = JsonMapper.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("an AWS request body that is not JSON", e);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                Response response = send(encodedPath, headers, bytes);
                if (!response.retryable() || attempt == MAX_ATTEMPTS) {
                    return response;
                }
            } catch (IOException e) {
                if (attempt == MAX_ATTEMPTS) {
                    throw e;
                }
            }
            Thread.sleep(Backoff.AWS.delay(attempt, RandomGenerator.getDefault()));
        }
    }

    /** One attempt, signed afresh (a signature is valid for minutes, and credentials may have been refreshed). */
    private Response send(String encodedPath, Map<String, String> headers, byte[] bytes) throws IOException, InterruptedException {
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
        HttpResponse<String> response = SharedHttpClient.get().send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Response(response.statusCode(), parse(response.body()));
    }

    private static JsonNode parse(String body) {
        try {
            return JsonMapper.MAPPER.readTree(body);
        } catch (IOException | RuntimeException e) {
            return MissingNode.getInstance();
        }
    }
}
