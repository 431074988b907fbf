package dev.compactor.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
import dev.compactor.support.LambdaEventJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The functions read API Gateway's event types with the container's mapper (they are stream
 * handlers); what they read must be what the Lambda Java runtime's own serializer reads from the
 * same bytes, and what they write must read back the same through it.
 */
class ApiEventTypesTest {

    static Stream<Path> proxyEvents() throws IOException {
        try (Stream<Path> files = Files.list(EventsTest.EVENTS)) {
            return files.filter(p -> p.getFileName().toString().startsWith("compact-")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("proxyEvents")
    void aProxyEventFileReadsAsTheRuntimeReadsIt(Path file) throws IOException {
        String json = Files.readString(file);
        APIGatewayProxyRequestEvent runtime = RuntimeSerialization.read(json, APIGatewayProxyRequestEvent.class);
        APIGatewayProxyRequestEvent ours = LambdaEventJson.read(json, APIGatewayProxyRequestEvent.class);
        assertThat(ours).isEqualTo(runtime);
        assertThat(ours.getRequestContext().getRequestTimeEpoch()).isNotNull();
        assertThat(ours.getBody()).isNotBlank();
    }

    @Test
    void anAuthorizerEventTheRuntimeWritesReadsBackTheSame() {
        APIGatewayCustomAuthorizerEvent sent = APIGatewayCustomAuthorizerEvent.builder().withType("REQUEST")
                .withMethodArn("arn:aws:execute-api:us-east-1:000000000000:api/prod/GET/v1/usage")
                .withHeaders(Map.of("Authorization", "Bearer ck_0123456789abcdefghij"))
                .withRequestContext(APIGatewayCustomAuthorizerEvent.RequestContext.builder().withRequestId("r-1").withStage("prod")
                        .build())
                .build();
        String json = RuntimeSerialization.write(sent, APIGatewayCustomAuthorizerEvent.class);
        assertThat(LambdaEventJson.read(json, APIGatewayCustomAuthorizerEvent.class)).isEqualTo(sent);
    }

    @Test
    void aResponseEventWeWriteReadsBackThroughTheRuntime() {
        APIGatewayProxyResponseEvent written = new APIGatewayProxyResponseEvent().withStatusCode(201)
                .withHeaders(Map.of("Content-Type", "application/json")).withBody("{\"a\":\"é\\n\"}").withIsBase64Encoded(false);
        String json = new String(LambdaEventJson.write(written), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(RuntimeSerialization.read(json, APIGatewayProxyResponseEvent.class)).isEqualTo(written);
    }

    @Test
    void anAllowPolicyIsWrittenWithoutNullStatementFields() {
        IamPolicyResponseV1 policy = IamPolicyResponseV1.builder().withPrincipalId("tenant-a")
                .withPolicyDocument(IamPolicyResponseV1.PolicyDocument.builder().withVersion(IamPolicyResponseV1.VERSION_2012_10_17)
                        .withStatement(List.of(IamPolicyResponseV1.allowStatement("arn:aws:execute-api:us-east-1:0:api/prod/GET/x")))
                        .build())
                .withContext(Map.of("tenant", "tenant-a")).withUsageIdentifierKey("ck_0123456789abcdefghij").build();
        String json = new String(LambdaEventJson.write(policy), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(json).doesNotContain("Condition").contains("\"Resource\":[\"arn:aws:execute-api:us-east-1:0:api/prod/GET/x\"]")
                .contains("\"usageIdentifierKey\":\"ck_0123456789abcdefghij\"");
    }
}
