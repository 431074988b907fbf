package dev.compactor.local.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.conversation.dynamo.DynamoApiKeys;
import dev.compactor.local.testing.TestDynamo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Over HTTP, as Letta's FastAPI server answers: a path the template does not serve is
 * {@code 404 {"detail":"Not Found"}} (the template's {@code MISSING_AUTHENTICATION_TOKEN} gateway
 * response, answered before any authorizer, as API Gateway does), and a method a served path does
 * not take is {@code 405 {"detail":"Method Not Allowed"}} (the path's ANY route brings every
 * method to the function, after the authorizer). The authorizer's own 401 keeps its meaning.
 */
class UnknownRoutesTest {
    static final String KEY = "ck_acme_4f1a9c0d2b7e8a6355c1";
    static final String NOT_FOUND = "{\"detail\":\"Not Found\"}";
    static final String METHOD_NOT_ALLOWED = "{\"detail\":\"Method Not Allowed\"}";

    private final TestDynamo local = TestDynamo.get();
    private final String table = local.newTable();
    private final HttpClient client = HttpClient.newHttpClient();
    private ApiGatewayEmulator api;

    @AfterEach
    void stop() {
        api.close();
    }

    private void start(boolean authorizers) {
        try {
            api = new ApiGatewayEmulator(local.host(table), "127.0.0.1", 0, authorizers);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        api.start();
    }

    private HttpResponse<String> send(String method, String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anUnknownPathIsNotFoundAndAnotherMethodOfAServedPathIsNotAllowed() {
        start(false);

        List<HttpResponse<String>> unknown = List.of(send("GET", "/v1/nowhere"), send("POST", "/v1"), send("GET", "/"),
                send("GET", "/v1/agents/agent-1/somewhere/else"), send("DELETE", "/v2/conversations"));
        List<HttpResponse<String>> wrongMethod = List.of(send("PUT", "/v1/usage"), send("GET", "/v1/agents/agent-1/summarize"),
                send("GET", "/v1/conversations/conv-1/compact"), send("PUT", "/v1/conversations/conv-1/messages"),
                send("PUT", "/v1/agents/agent-1"), send("POST", "/v1/agents/agent-1"), send("OPTIONS", "/v1/agents"),
                send("OPTIONS", "/v1/conversations/conv-1/compact"));

        assertThat(unknown).allSatisfy(r -> {
            assertThat(r.statusCode()).as(r.uri().toString()).isEqualTo(404);
            assertThat(r.body()).isEqualTo(NOT_FOUND);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        });
        assertThat(wrongMethod).allSatisfy(r -> {
            assertThat(r.statusCode()).as(r.request().method() + " " + r.uri()).isEqualTo(405);
            assertThat(r.body()).isEqualTo(METHOD_NOT_ALLOWED);
        });
        assertThat(send("GET", "/v1/usage").statusCode()).as("a method the function serves on the path").isEqualTo(200);
    }

    /**
     * FastAPI serves neither HEAD nor OPTIONS on a route unless it declares them (a GET route
     * takes no HEAD, and without CORS nothing answers OPTIONS): both are its 405, the HEAD
     * answer without a body as HTTP has it.
     */
    @Test
    void headAndOptionsOfAServedPathAreNotAllowed() {
        start(false);

        HttpResponse<String> head = send("HEAD", "/v1/usage");
        HttpResponse<String> options = send("OPTIONS", "/v1/agents/agent-1", "Origin", "https://app.example",
                "Access-Control-Request-Method", "GET");

        assertThat(head.statusCode()).isEqualTo(405);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(options.statusCode()).isEqualTo(405);
        assertThat(options.body()).isEqualTo(METHOD_NOT_ALLOWED);
    }

    @Test
    void withKeysAnUnknownPathIsNotFoundBeforeTheAuthorizerAndAWrongMethodIsJudgedAfterIt() {
        try (DynamoDbClient dynamo = local.dynamo.client()) {
            new DynamoApiKeys(dynamo, table, Clock.systemUTC()).register(KEY, "acme");
        }
        start(true);

        HttpResponse<String> unknownWithoutKey = send("GET", "/v1/nowhere");
        HttpResponse<String> wrongMethodWithoutKey = send("PUT", "/v1/usage");
        HttpResponse<String> wrongMethodWithKey = send("PUT", "/v1/usage", "Authorization", "Bearer " + KEY);
        HttpResponse<String> unknownKey = send("GET", "/v1/usage", "Authorization", "Bearer ck_never_registered_0000000");

        assertThat(unknownWithoutKey.statusCode()).isEqualTo(404);
        assertThat(unknownWithoutKey.body()).isEqualTo(NOT_FOUND);
        assertThat(wrongMethodWithoutKey.statusCode()).isEqualTo(401);
        assertThat(wrongMethodWithoutKey.body()).isEqualTo("{\"message\":\"Unauthorized\"}");
        assertThat(wrongMethodWithKey.statusCode()).isEqualTo(405);
        assertThat(wrongMethodWithKey.body()).isEqualTo(METHOD_NOT_ALLOWED);
        assertThat(unknownKey.statusCode()).isEqualTo(401);
    }
}
