package dev.compactor.local.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.compactor.access.ApiKeyAuthorizer;
import dev.compactor.api.ApiHandler;
import dev.compactor.api.ApiResponse;
import dev.compactor.api.CompactionWorkerHandler;
import dev.compactor.app.Services;
import dev.compactor.batch.BatchWorkerHandler;
import dev.compactor.batch.DiscoveryHandler;
import dev.compactor.batch.DueMessage;
import dev.compactor.batch.DueStreamHandler;
import dev.compactor.batch.Outcome;
import dev.compactor.conversation.Agent;
import dev.compactor.conversation.dynamo.DynamoApiKeys;
import dev.compactor.local.emulator.StubOpenAiServer;
import dev.compactor.local.runtime.AwsAction;
import dev.compactor.local.runtime.AwsCallRecorder;
import dev.compactor.local.runtime.DeployedStack;
import dev.compactor.local.runtime.DynamoActions;
import dev.compactor.local.runtime.IamPolicy;
import dev.compactor.local.runtime.RuntimeSerialization;
import dev.compactor.local.runtime.SamTemplate;
import dev.compactor.local.runtime.StreamFilter;
import dev.compactor.local.testing.ApiEvents;
import dev.compactor.local.testing.DueFixtures;
import dev.compactor.local.testing.StreamRecords;
import dev.compactor.local.testing.TestDynamo;
import dev.compactor.support.Env;
import dev.compactor.support.Json;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Every function's calls are allowed by its own IAM policy in {@code template.yaml}, and its policy
 * grants nothing those calls do not use. Nothing else checks IAM before a deployment: a function
 * whose code starts using an operation its role lacks passes every other test and fails in the
 * cloud. Each function runs its real code paths against DynamoDB Local with the environment it
 * gets when deployed (references resolved to the stack's ARNs); an SDK interceptor records its
 * DynamoDB actions, a local AWS endpoint its Lambda, SQS, Secrets Manager and SSM calls, and each
 * action is checked against the statements of the function's role. Bedrock is not observed: the
 * summaries come from a local OpenAI server, whose key the functions read from the provider-keys
 * secret or parameter.
 */
public class FunctionPoliciesTest {
    /** The functions driven below: every function of the template. */
    private static final Set<String> FUNCTIONS = Set.of("ApiFunction", "CompactionWorkerFunction", "AuthorizerFunction",
            "CompactionDiscoveryFunction", "BatchWorkerFunction", "DueStreamFunction");
    /** The services whose calls are recorded, so whose unused grants are reported. */
    private static final Set<String> OBSERVED = Set.of("dynamodb", "sqs", "lambda", "secretsmanager", "ssm", "events");
    private static final String SUMMARIZER = "openai/gpt-4o-mini";
    private static final String SECRET_ARN = "arn:aws:secretsmanager:us-east-1:000000000000:secret:provider-keys-AbCdEf";
    private static final String PARAMETER_ARN = "arn:aws:ssm:us-east-1:000000000000:parameter/compaction/provider-keys";
    private static final String TENANT = "acme";

    private final TestDynamo local = TestDynamo.get();
    private final String table = local.newTable();
    private final String partitionKey = local.template.table().createTableRequest(table).keySchema().get(0).attributeName();
    private final AwsCallRecorder aws = new AwsCallRecorder(Map.of("OPENAI_API_KEY", "sk-local"));
    private final StubOpenAiServer openAi = StubOpenAiServer.start(Duration.ZERO);
    private final Map<String, DynamoActions> dynamo = new HashMap<>();
    private final Set<ApiHandler.ServedRoute> routesCalled = new LinkedHashSet<>();

    @AfterEach
    void stop() {
        aws.close();
        openAi.close();
    }

    @Test
    void everyFunctionOfTheTemplateIsDrivenHere() {
        assertThat(local.template.functions()).extracting(SamTemplate.Function::logicalId).containsExactlyInAnyOrderElementsOf(FUNCTIONS);
    }

    @Test
    void theApiSessionAndTheJobItQueuesCallOnlyWhatTheirPoliciesGrantAndNeedAllOfIt() {
        DeployedStack stack = new DeployedStack(local.template, table, Map.of("ProviderKeysSecretArn", SECRET_ARN));
        ApiHandler api = new ApiHandler(services(stack, "ApiFunction"));
        // SnapStart's priming runs before the snapshot, with the function's role like any request.
        api.beforeCheckpoint(null);

        String agent = id(ok(api, "POST", "/v1/agents", e -> e.body(Map.of("model", "anthropic/claude-haiku-4-5",
                "compaction_settings", Map.of("model", SUMMARIZER)))));
        ok(api, "GET", "/v1/agents/{agent_id}", e -> e.param("agent_id", agent).body(null));
        ok(api, "PATCH", "/v1/agents/{agent_id}", e -> e.param("agent_id", agent).body(Map.of("name", "renamed")));
        String conversation = id(ok(api, "POST", "/v1/conversations", e -> e.query("agent_id", agent).body(null)));
        String empty = id(ok(api, "POST", "/v1/conversations", e -> e.query("agent_id", agent).body(null)));
        ok(api, "GET", "/v1/conversations/{conversation_id}", e -> e.param("conversation_id", conversation).body(null));
        append(api, conversation, List.of(Map.of("role", "user", "content", "Find the failing test in ci.yml"),
                Map.of("role", "assistant", "content", "Searching.", "tool_calls", List.of(Map.of("id", "call_1", "type", "function",
                        "function", Map.of("name", "grep", "arguments", "{\"q\":\"FAIL\"}"))))));
        // An append that starts with a tool result looks its call up among the latest messages.
        append(api, conversation, List.of(Map.of("role", "tool", "tool_call_id", "call_1", "content", "tests/billing_test.py:42 FAIL")));
        append(api, conversation, IntStream.range(0, 8).<Map<String, Object>>mapToObj(i -> Map.of("role", i % 2 == 0 ? "user" : "assistant",
                "content", "Step " + i + " of fixing billing_test.py")).toList());
        List<?> page = (List<?>) Json.parse(ok(api, "GET", "/v1/conversations/{conversation_id}/messages",
                e -> e.param("conversation_id", conversation).query("limit", "3").body(null)).body());
        String cursor = (String) ((Map<?, ?>) page.get(2)).get("id");
        ok(api, "GET", "/v1/conversations/{conversation_id}/messages", e -> e.param("conversation_id", conversation)
                .query("after", cursor).query("limit", "3").body(null));
        ok(api, "GET", "/v1/conversations/{conversation_id}/messages", e -> e.param("conversation_id", conversation)
                .query("before", cursor).body(null));
        ok(api, "POST", "/v1/conversations/{conversation_id}/compact", e -> e.param("conversation_id", conversation)
                .query("dry_run", "true").body(Map.of()));
        for (int replay = 0; replay < 2; replay++) {
            ok(api, "POST", "/v1/conversations/{conversation_id}/compact", e -> e.param("conversation_id", conversation)
                    .header("Idempotency-Key", "compact-1").body(Map.of("compaction_settings", Map.of("mode", "sliding_window"))));
        }
        ok(api, "GET", "/v1/conversations/{conversation_id}/context", e -> e.param("conversation_id", conversation)
                .query("format", "bedrock").body(null));
        // Nothing to compact: a metered failure, and the Idempotency-Key's claim is given back.
        assertThat(send(api, "POST", "/v1/conversations/{conversation_id}/compact", e -> e.param("conversation_id", empty)
                .header("Idempotency-Key", "compact-2").body(Map.of())).status()).isEqualTo(400);
        ok(api, "GET", "/v1/conversations/{conversation_id}/compactions", e -> e.param("conversation_id", conversation).body(null));
        ok(api, "POST", "/v1/conversations/{conversation_id}/compactions/{generation}/revert",
                e -> e.param("conversation_id", conversation).param("generation", "1").body(null));
        ok(api, "GET", "/v1/usage", e -> e.body(null));
        ApiResponse accepted = send(api, "POST", "/v1/conversations/{conversation_id}/compact", e -> e.param("conversation_id", conversation)
                .header("Prefer", "respond-async").body(Map.of("compaction_settings", Map.of("mode", "all"))));
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        String job = id(accepted);
        ok(api, "GET", "/v1/compactions/{job_id}", e -> e.param("job_id", job).body(null));
        // The agent's own routes over its default conversation (a dry run: the provider's count below stays the session's).
        append(api, agent, List.of(Map.of("role", "user", "content", "Rerun billing_test.py"), Map.of("role", "assistant", "content", "Passed.")));
        ok(api, "POST", "/v1/agents/{agent_id}/summarize", e -> e.param("agent_id", agent).query("dry_run", "true")
                .body(Map.of("compaction_settings", Map.of("mode", "all"))));
        ok(api, "GET", "/v1/agents/{agent_id}/messages", e -> e.param("agent_id", agent).query("conversation_id", "default").body(null));
        // Another method of a served path (its ANY route brings every method) is the function's 405, before any call.
        for (SamTemplate.Route route : local.template.function("ApiFunction").routes()) {
            ApiResponse wrongMethod = api.handle(ApiEvents.of(TENANT, "PUT", route.path()).body(null), null, Instant.now().plusSeconds(20));
            assertThat(wrongMethod.status()).as("PUT " + route.path()).isEqualTo(405);
        }

        CompactionWorkerHandler worker = new CompactionWorkerHandler(services(stack, "CompactionWorkerFunction"));
        worker.beforeCheckpoint(null);
        String invocation = aws.invocations("ApiFunction").get(0);
        assertThat(worker.handle(invocation, Instant.now().plusSeconds(60))).extracting(CompactionWorkerHandler.Report::status).isEqualTo("succeeded");
        // Lambda may deliver the event again.
        assertThat(worker.handle(invocation, Instant.now().plusSeconds(60))).extracting(CompactionWorkerHandler.Report::status).isEqualTo("not_claimed");
        // Lists, PATCH, fork and the deletes (a fork copies with BatchWriteItem; creations check their agent).
        ok(api, "GET", "/v1/agents", e -> e.query("limit", "5").body(null));
        ok(api, "GET", "/v1/conversations", e -> e.query("agent_id", agent).body(null));
        ok(api, "GET", "/v1/conversations", e -> e.query("order_by", "last_message_at").body(null));
        ok(api, "PATCH", "/v1/conversations/{conversation_id}", e -> e.param("conversation_id", conversation)
                .body(Map.of("summary", "billing test", "context_window_limit", 32000)));
        String fork = id(ok(api, "POST", "/v1/conversations/{conversation_id}/fork", e -> e.param("conversation_id", conversation)
                .body(null)));
        ok(api, "DELETE", "/v1/conversations/{conversation_id}", e -> e.param("conversation_id", fork).body(null));
        // A purge runs inline for a small conversation; a deployment that sends every purge to the worker purges in the background.
        ok(api, "DELETE", "/v1/conversations/{conversation_id}", e -> e.param("conversation_id", empty).query("purge", "true").body(null));
        ok(api, "GET", "/v1/conversations/{conversation_id}/purge", e -> e.param("conversation_id", empty).body(null));
        ApiHandler purgesInBackground = new ApiHandler(services(stack, "ApiFunction", Map.of("PURGE_INLINE_MAX_ITEMS", "0")));
        assertThat(send(purgesInBackground, "DELETE", "/v1/conversations/{conversation_id}", e -> e.param("conversation_id", conversation)
                .query("purge", "true").body(null)).status()).isEqualTo(202);
        List<String> invocations = aws.invocations("ApiFunction");
        assertThat(worker.handle(invocations.get(invocations.size() - 1), Instant.now().plusSeconds(60)))
                .extracting(CompactionWorkerHandler.Report::status).isEqualTo("purged");

        ok(api, "DELETE", "/v1/agents/{agent_id}", e -> e.param("agent_id", agent).body(null));
        // Agent purges: inline, and in the background through the worker.
        String purgedAgent = id(ok(api, "POST", "/v1/agents", e -> e.body(Map.of("model", "anthropic/claude-haiku-4-5"))));
        ok(api, "POST", "/v1/conversations", e -> e.query("agent_id", purgedAgent).body(null));
        ok(api, "DELETE", "/v1/agents/{agent_id}", e -> e.param("agent_id", purgedAgent).query("purge", "true").body(null));
        ok(api, "GET", "/v1/agents/{agent_id}/purge", e -> e.param("agent_id", purgedAgent).body(null));
        String backgroundAgent = id(ok(api, "POST", "/v1/agents", e -> e.body(Map.of("model", "anthropic/claude-haiku-4-5"))));
        assertThat(send(purgesInBackground, "DELETE", "/v1/agents/{agent_id}", e -> e.param("agent_id", backgroundAgent)
                .query("purge", "true").body(null)).status()).isEqualTo(202);
        invocations = aws.invocations("ApiFunction");
        assertThat(worker.handle(invocations.get(invocations.size() - 1), Instant.now().plusSeconds(60)))
                .extracting(CompactionWorkerHandler.Report::status).isEqualTo("purged");

        assertThat(routesCalled).as("the session covers every route of the API function").containsExactlyInAnyOrderElementsOf(api.routes());
        assertThat(openAi.requests()).as("summaries came from the provider whose key is in the secret").isEqualTo(2);
        assertPolicyFits(stack, "ApiFunction");
        assertPolicyFits(stack, "CompactionWorkerFunction");
    }

    @Test
    void theAuthorizersKeyLookupCallsOnlyWhatItsPolicyGrants() {
        DeployedStack stack = new DeployedStack(local.template, table, Map.of());
        String key = "ck_acme_4f1a9c0d2b7e8a6355c1";
        try (DynamoDbClient operator = local.dynamo.client()) {
            new DynamoApiKeys(operator, table, Clock.systemUTC()).register(key, TENANT);
        }
        ApiKeyAuthorizer authorizer = new ApiKeyAuthorizer(new DynamoApiKeys(local.dynamo.client(actions("AuthorizerFunction")),
                stack.environment("AuthorizerFunction").get(Env.TABLE_NAME), Clock.systemUTC()));
        authorizer.beforeCheckpoint(null);

        assertThat(authorizer.authorize(authorizerEvent(key)).getPrincipalId()).isEqualTo(TENANT);
        assertThatThrownBy(() -> authorizer.authorize(authorizerEvent("ck_never_registered_0000000")))
                .isInstanceOf(ApiKeyAuthorizer.UnauthorizedException.class);

        assertPolicyFits(stack, "AuthorizerFunction");
    }

    @Test
    void discoveryAndTheBatchWorkerCallOnlyWhatTheirPoliciesGrantAndNeedAllOfIt() {
        DeployedStack stack = new DeployedStack(local.template, table, Map.of("ProviderKeysParameterArn", PARAMETER_ARN));
        DueFixtures due = new DueFixtures(local.services(table).store());
        Agent agent = due.agent(DueFixtures.TENANT, null, SUMMARIZER);
        due.conversation(DueFixtures.TENANT, agent, 9_000);
        DiscoveryHandler discovery = new DiscoveryHandler(services(stack, "CompactionDiscoveryFunction"));
        BatchWorkerHandler worker = new BatchWorkerHandler(services(stack, "BatchWorkerFunction"));

        assertThat(discovery.handle(DiscoveryTest.scheduled(null), Instant.now().plusSeconds(60)).sent()).isEqualTo(1);
        List<String> sent = aws.sentMessages("CompactionDiscoveryFunction");
        SQSEvent event = WorkerBatchTest.event(IntStream.range(0, sent.size())
                .mapToObj(i -> WorkerBatchTest.record("m-" + i, sent.get(i))).toList());

        assertThat(worker.process(event, Instant.now().plusSeconds(60))).extracting(p -> p.outcome().kind())
                .containsExactly(Outcome.Kind.COMPACTED);
        // SQS may deliver the message again.
        assertThat(worker.process(event, Instant.now().plusSeconds(60))).extracting(p -> p.outcome().kind())
                .containsExactly(Outcome.Kind.SKIPPED);
        assertThat(openAi.requests()).as("the summary came from the provider whose key is in the parameter").isEqualTo(1);
        assertPolicyFits(stack, "CompactionDiscoveryFunction");
        assertPolicyFits(stack, "BatchWorkerFunction");
    }

    @Test
    void theDueStreamFunctionCallsOnlyWhatItsPolicyGrantsAndNeedsAllOfIt() {
        DeployedStack stack = new DeployedStack(local.template, table, Map.of());
        DueFixtures due = new DueFixtures(local.services(table).store());
        Agent agent = due.agent(DueFixtures.TENANT, null, SUMMARIZER);
        String conversation = due.conversation(DueFixtures.TENANT, agent, 3_000);
        try (DynamoDbStreamsClient streams = local.dynamo.streams()) {
            due.grow(DueFixtures.TENANT, conversation, 9_000);
            DynamodbEvent event = RuntimeSerialization.read(Json.write(Map.of("Records", StreamRecords.readAll(streams,
                    local.dynamo.streamArn(table)).stream().filter(StreamFilter.of(local.template.function("DueStreamFunction")
                    .streamSource().filterPatterns())::matches).toList())), DynamodbEvent.class);
            DueStreamHandler handler = new DueStreamHandler(services(stack, "DueStreamFunction"));
            handler.beforeCheckpoint(null);

            assertThat(handler.handle(event).sent()).isEqualTo(1);
        }
        assertThat(aws.sentMessages("DueStreamFunction")).singleElement()
                .satisfies(body -> assertThat(DueMessage.parse(body).conversationId()).isEqualTo(conversation));
        assertPolicyFits(stack, "DueStreamFunction");
    }

    /**
     * The function's services as deployed: the stack's environment, its own access key (how the
     * AWS endpoint tells the functions apart), AWS at local endpoints, and a DynamoDB client that
     * records its actions.
     */
    private Services services(DeployedStack stack, String function) {
        return services(stack, function, Map.of());
    }

    /** The function's services as deployed, with {@code extra} laid over its environment. */
    private Services services(DeployedStack stack, String function, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(stack.environment(function));
        env.putAll(extra);
        env.put("AWS_REGION", DeployedStack.REGION);
        env.put("AWS_ACCESS_KEY_ID", function);
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        for (String service : List.of("LAMBDA", "SQS", "SECRETS_MANAGER", "SSM", "EVENTBRIDGE")) {
            env.put("AWS_ENDPOINT_URL_" + service, aws.endpoint().toString());
        }
        env.put("OPENAI_BASE_URL", openAi.baseUrl());
        Env environment = new Env(env);
        return local.services(environment, Services.summarizers(environment)::forModel, actions(function));
    }

    private DynamoActions actions(String function) {
        return dynamo.computeIfAbsent(function, f -> new DynamoActions(partitionKey));
    }

    private void assertPolicyFits(DeployedStack stack, String function) {
        IamPolicy policy = IamPolicy.of(stack, function);
        List<AwsAction> used = new ArrayList<>(actions(function).recorded());
        used.addAll(aws.recorded(function));

        assertThat(used.stream().filter(a -> !policy.allows(a)).map(AwsAction::toString).distinct())
                .as(function + " made calls its policy in template.yaml does not allow").isEmpty();
        assertThat(policy.unused(used, OBSERVED)).as(function + "'s policy in template.yaml grants what its code never used")
                .isEmpty();
    }

    private ApiResponse send(ApiHandler api, String method, String resource, Function<ApiEvents, String> request) {
        routesCalled.add(new ApiHandler.ServedRoute(method, resource));
        return api.handle(request.apply(ApiEvents.of(TENANT, method, resource)), null, Instant.now().plusSeconds(20));
    }

    private ApiResponse ok(ApiHandler api, String method, String resource, Function<ApiEvents, String> request) {
        ApiResponse response = send(api, method, resource, request);
        assertThat(response.status()).as(method + " " + resource + ": " + response.body()).isEqualTo(200);
        return response;
    }

    private void append(ApiHandler api, String conversation, List<Map<String, Object>> messages) {
        ok(api, "POST", "/v1/conversations/{conversation_id}/messages/append",
                e -> e.param("conversation_id", conversation).body(Map.of("messages", messages)));
    }

    private static String id(ApiResponse response) {
        return (String) Json.parseObject(response.body()).get("id");
    }

    private static APIGatewayCustomAuthorizerEvent authorizerEvent(String key) {
        return APIGatewayCustomAuthorizerEvent.builder().withType("REQUEST")
                .withMethodArn("arn:aws:execute-api:us-east-1:000000000000:api/prod/GET/v1/usage")
                .withHeaders(Map.of("Authorization", "Bearer " + key)).build();
    }
}
