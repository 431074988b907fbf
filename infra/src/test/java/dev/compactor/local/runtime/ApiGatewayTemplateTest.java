package dev.compactor.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.api.ApiHandler;
import dev.compactor.local.testing.TestDynamo;
import dev.compactor.support.Env;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the template tells API Gateway itself: unknown routes answer Letta's 404, every served path
 * has one ANY event, which leaves all its methods to the function (its other methods are Letta's
 * 405), and the synchronous compaction routes' integration timeout, the API function's timeout
 * and the handler's deadline all follow one parameter.
 */
public class ApiGatewayTemplateTest {
    private static final SamTemplate TEMPLATE = SamTemplate.load(TestDynamo.TEMPLATE);
    static final String NOT_FOUND = "{\"detail\":\"Not Found\"}";
    /** The paths whose requests run a synchronous compaction. */
    static final Set<String> COMPACTIONS = Set.of("/v1/conversations/{conversation_id}/compact", "/v1/agents/{agent_id}/summarize");

    @Test
    void anUnknownRouteIsLettasNotFoundAndTheAuthorizersAndUsagePlansAnswersKeepTheirs() {
        assertThat(TEMPLATE.gatewayResponse("MISSING_AUTHENTICATION_TOKEN")).hasValue(new SamTemplate.GatewayResponse(404, NOT_FOUND));
        assertThat(TEMPLATE.gatewayResponse("RESOURCE_NOT_FOUND")).hasValue(new SamTemplate.GatewayResponse(404, NOT_FOUND));
        for (String kept : List.of("UNAUTHORIZED", "ACCESS_DENIED", "AUTHORIZER_FAILURE", "INVALID_API_KEY", "THROTTLED", "QUOTA_EXCEEDED",
                "DEFAULT_4XX", "DEFAULT_5XX", "INTEGRATION_TIMEOUT")) {
            assertThat(TEMPLATE.gatewayResponse(kept)).as(kept).isEmpty();
        }
    }

    @Test
    void aTemplateWithoutGatewayResponsesKeepsApiGatewaysOwn() {
        SamTemplate bare = SamTemplate.parse(new ByteArrayInputStream("""
                Resources:
                  Api:
                    Type: AWS::Serverless::Api
                    Properties: {StageName: prod}
                """.getBytes(StandardCharsets.UTF_8)));

        assertThat(bare.gatewayResponse("MISSING_AUTHENTICATION_TOKEN")).isEmpty();
    }

    /** Lambda refuses a function policy (resource-based) over 20 KB: "The final policy size (…) is bigger than the limit (20480)". */
    static final int FUNCTION_POLICY_LIMIT = 20_480;

    /**
     * SAM adds one {@code AWS::Lambda::Permission} per {@code Api} event to the API function's
     * alias, each a policy statement whose source ARN names the event's method and path (path
     * parameters as {@code *}). Estimated here as Lambda stores them, with the longest names a
     * deployment can have (statement id at Lambda's 100 characters, function name at 64, the
     * longest region name), the policy must stay under Lambda's limit; the deployment would fail
     * on the first permission past it. One ANY event per path: 17 statements, 8,154 bytes (40%);
     * an event per method besides took 40 statements, 19,130 bytes (93%).
     */
    @Test
    void theApiFunctionsPolicyOfOnePermissionPerPathStaysUnderLambdasLimit() {
        List<SamTemplate.Route> routes = TEMPLATE.function("ApiFunction").routes();

        assertThat(routes).as("one permission per path").hasSize(paths(routes).size());
        assertThat(estimatedPolicySize(routes)).as("estimated function policy of %d permissions, against Lambda's %d bytes", routes.size(),
                FUNCTION_POLICY_LIMIT).isLessThan(FUNCTION_POLICY_LIMIT);
    }

    /** The estimate does catch a policy Lambda would refuse: an event per method of every path would not deploy. */
    @Test
    void theEstimateRefusesAPolicyPastLambdasLimit() {
        List<SamTemplate.Route> routes = TEMPLATE.function("ApiFunction").routes();
        List<SamTemplate.Route> perMethod = routes.stream()
                .flatMap(r -> Stream.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS").map(m -> new SamTemplate.Route(m, r.path())))
                .toList();

        assertThat(estimatedPolicySize(perMethod)).as("an event per method of every path").isGreaterThan(FUNCTION_POLICY_LIMIT);
    }

    private static int estimatedPolicySize(List<SamTemplate.Route> routes) {
        String region = "ap-southeast-2";
        String function = "arn:aws:lambda:" + region + ":123456789012:function:" + "f".repeat(64) + ":live";
        int size = "{\"Version\":\"2012-10-17\",\"Id\":\"default\",\"Statement\":[]}".length();
        for (SamTemplate.Route route : routes) {
            String source = "arn:aws:execute-api:" + region + ":123456789012:a1b2c3d4e5/*/"
                    + (route.method().equals(SamTemplate.Route.ANY) ? "*" : route.method()) + route.path().replaceAll("\\{[^}]+}", "*");
            String statement = "{\"Sid\":\"" + "s".repeat(100) + "\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"apigateway.amazonaws.com\"},"
                    + "\"Action\":\"lambda:InvokeFunction\",\"Resource\":\"" + function + "\","
                    + "\"Condition\":{\"ArnLike\":{\"AWS:SourceArn\":\"" + source + "\"}}}";
            size += statement.length() + 1;
        }
        return size;
    }

    /**
     * Per-method events would each add a permission (see above), and API Gateway would answer a
     * method with no event of its own like an unknown path: each served path has exactly one
     * event, ANY, named for its path ({@code /v1/agents/{agent_id}/purge} is {@code AgentsAgentIdPurge}).
     */
    @Test
    @SuppressWarnings("unchecked")
    void everyServedPathHasExactlyOneAnyEventNamedForIt() {
        Map<String, Map<String, Object>> events = (Map<String, Map<String, Object>>) ((Map<String, Object>) TEMPLATE.resources()
                .get("ApiFunction").get("Properties")).get("Events");
        Map<String, List<String>> namesByPath = events.entrySet().stream().filter(e -> "Api".equals(e.getValue().get("Type")))
                .collect(Collectors.groupingBy(e -> (String) ((Map<String, Object>) e.getValue().get("Properties")).get("Path"),
                        Collectors.mapping(Map.Entry::getKey, Collectors.toList())));

        assertThat(namesByPath).isNotEmpty().allSatisfy((path, names) -> assertThat(names).as(path).containsExactly(eventName(path)));
        assertThat(TEMPLATE.function("ApiFunction").routes()).extracting(SamTemplate.Route::method).containsOnly(SamTemplate.Route.ANY);
    }

    /** {@code /v1/conversations/{conversation_id}/messages} is {@code ConversationsConversationIdMessages}. */
    private static String eventName(String path) {
        return Stream.of(path.replaceFirst("^/v1/", "").split("[/_{}]+")).filter(w -> !w.isEmpty())
                .map(w -> Character.toUpperCase(w.charAt(0)) + w.substring(1)).collect(Collectors.joining());
    }

    /** The handler answers every path API Gateway brings it, and API Gateway brings it every path the handler answers. */
    @Test
    void theTemplatesPathsAreTheHandlersPaths() {
        ApiHandler handler = new ApiHandler(TEMPLATE.resolveEnvironment(TEMPLATE.function("ApiFunction"), "t"));
        Set<String> handlerPaths = handler.routes().stream().map(ApiHandler.ServedRoute::resource).collect(Collectors.toSet());

        assertThat(paths(TEMPLATE.function("ApiFunction").routes())).isEqualTo(handlerPaths).hasSizeGreaterThan(10);
    }

    private static Set<String> paths(List<SamTemplate.Route> routes) {
        return routes.stream().map(SamTemplate.Route::path).collect(Collectors.toSet());
    }

    @Test
    @SuppressWarnings("unchecked")
    void theSyncCompactionTimeoutDrivesTheIntegrationTimeoutTheFunctionTimeoutAndTheHandlersDeadline() {
        Map<String, Object> parameter = (Map<String, Object>) TEMPLATE.section("Parameters").get("SyncCompactionTimeoutSeconds");
        Map<String, Object> function = (Map<String, Object>) TEMPLATE.resources().get("ApiFunction").get("Properties");
        Map<String, Object> ref = Map.of("Ref", "SyncCompactionTimeoutSeconds");
        Map<String, Map<String, Object>> events = (Map<String, Map<String, Object>>) function.get("Events");

        assertThat(parameter).containsEntry("Default", 29).containsEntry("MinValue", 29).containsEntry("MaxValue", 300);
        assertThat(function.get("Timeout")).isEqualTo(ref);
        assertThat(TEMPLATE.function("ApiFunction").environment()).containsEntry(Env.INTEGRATION_TIMEOUT_SECONDS, ref);
        List<Map<String, Object>> compactionEvents = events.values().stream().map(e -> (Map<String, Object>) e.get("Properties"))
                .filter(p -> COMPACTIONS.contains((String) p.get("Path"))).toList();
        assertThat(compactionEvents).hasSize(COMPACTIONS.size()).allSatisfy(p ->
                assertThat(p.get("TimeoutInMillis")).isEqualTo(Map.of("Fn::Sub", "${SyncCompactionTimeoutSeconds}000")));
        // Locally the parameter's default applies: 29 s, REST's own default.
        assertThat(TEMPLATE.function("ApiFunction").timeoutSeconds()).isEqualTo(29);
        assertThat(TEMPLATE.resolveEnvironment(TEMPLATE.function("ApiFunction"), "t")).containsEntry(Env.INTEGRATION_TIMEOUT_SECONDS, "29");
    }
}
