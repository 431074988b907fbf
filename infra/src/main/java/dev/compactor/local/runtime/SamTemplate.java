package dev.compactor.local.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.Yaml;

/**
 * The parts of {@code template.yaml} the local runtime plays: the DynamoDB table, the SQS queues,
 * the functions (handler, timeout, environment), their API routes, queue and stream event sources. The
 * template is the single definition; nothing here restates it.
 */
public final class SamTemplate {
    /** A function's API Gateway route: an {@code Api} event's method (upper case) and path. */
    public record Route(String method, String path) {
        /** The method API Gateway sends every method of the path to that the path has no own method for. */
        public static final String ANY = "ANY";
    }

    /**
     * @param asyncRetries how often Lambda retries a failed asynchronous invocation
     *     ({@code EventInvokeConfig.MaximumRetryAttempts}; Lambda's default is 2)
     * @param queueSource the function's SQS event source, or null
     * @param streamSource the function's DynamoDB stream event source, or null
     */
    public record Function(String logicalId, String handlerClass, int timeoutSeconds, Map<String, Object> environment,
                           List<Route> routes, String eventInput, int asyncRetries, QueueSource queueSource,
                           StreamSource streamSource) {}

    /** Lambda's retries of a failed asynchronous invocation when the function does not configure them. */
    static final int DEFAULT_ASYNC_RETRIES = 2;
    /** The stack name the template's {@code ${AWS::StackName}} stands for locally. */
    static final String LOCAL_STACK_NAME = "local";

    /**
     * An SQS event source: the queue's logical id, messages per invocation, invocations at once, and
     * whether the function reports failed messages ({@code ReportBatchItemFailures}) rather than
     * failing whole batches.
     */
    public record QueueSource(String queue, int batchSize, int maximumConcurrency, boolean reportsItemFailures) {}

    /**
     * A DynamoDB stream event source on the template's table: records per invocation, whether the
     * function reports failed records ({@code ReportBatchItemFailures}), and the filter patterns
     * (JSON, as the template writes them) of which a record must match one to be delivered.
     */
    public record StreamSource(int batchSize, boolean reportsItemFailures, List<String> filterPatterns) {}

    /** An SQS queue; {@code deadLetterQueue} (a logical id) is null without a redrive policy. */
    public record Queue(String logicalId, int visibilityTimeoutSeconds, String deadLetterQueue, int maxReceiveCount) {}

    private final Map<String, Object> root;

    private SamTemplate(Map<String, Object> root) {
        this.root = root;
    }

    /** {@code template.yaml} from the working directory when present, else the copy inside the jar. */
    public static SamTemplate load(Path explicit) {
        try {
            if (explicit != null) {
                try (InputStream in = Files.newInputStream(explicit)) {
                    return parse(in);
                }
            }
            Path cwd = Path.of("template.yaml");
            if (Files.isRegularFile(cwd)) {
                try (InputStream in = Files.newInputStream(cwd)) {
                    return parse(in);
                }
            }
            try (InputStream in = SamTemplate.class.getResourceAsStream("/template.yaml")) {
                if (in == null) {
                    throw new IllegalStateException("no template.yaml in the working directory or the jar");
                }
                return parse(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static SamTemplate parse(InputStream in) {
        Yaml yaml = new Yaml(new IntrinsicConstructor());
        return new SamTemplate((Map<String, Object>) yaml.load(in));
    }

    // ---- resources ----------------------------------------------------------------------------

    /**
     * Every resource by logical id as the template declares it (Type, Condition, Properties), short
     * intrinsics in their long form ({@code {Ref: x}}); for checks of what the local runtime does not
     * play, such as IAM.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Map<String, Object>> resources() {
        return (Map<String, Map<String, Object>>) root.get("Resources");
    }

    /** A top-level section ({@code Parameters}, {@code Conditions}) as declared, or an empty map. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> section(String name) {
        return (Map<String, Object>) root.getOrDefault(name, Map.of());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> properties(Map<String, Object> resource) {
        return (Map<String, Object>) resource.getOrDefault("Properties", Map.of());
    }

    /** The template's one DynamoDB table. */
    public TemplateTable table() {
        List<String> tables = resources().entrySet().stream()
                .filter(e -> "AWS::DynamoDB::Table".equals(e.getValue().get("Type"))).map(Map.Entry::getKey).toList();
        if (tables.size() != 1) {
            throw new IllegalStateException("expected exactly one AWS::DynamoDB::Table in the template, found " + tables);
        }
        return new TemplateTable(tables.get(0), properties(resources().get(tables.get(0))));
    }

    @SuppressWarnings("unchecked")
    public List<Function> functions() {
        Map<String, Object> globals = (Map<String, Object>) ((Map<String, Object>) root.getOrDefault("Globals", Map.of()))
                .getOrDefault("Function", Map.of());
        List<Function> functions = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> e : resources().entrySet()) {
            if (!"AWS::Serverless::Function".equals(e.getValue().get("Type"))) {
                continue;
            }
            Map<String, Object> p = properties(e.getValue());
            String handler = (String) p.getOrDefault("Handler", globals.get("Handler"));
            int timeout = Integer.parseInt(resolve(p.getOrDefault("Timeout", globals.getOrDefault("Timeout", 3)), Map.of()));
            Map<String, Object> env = new LinkedHashMap<>(variables(globals));
            env.putAll(variables(p));
            List<Route> routes = new ArrayList<>();
            String input = null;
            QueueSource queueSource = null;
            StreamSource streamSource = null;
            Map<String, Map<String, Object>> events = (Map<String, Map<String, Object>>) p.getOrDefault("Events", Map.of());
            for (Map<String, Object> event : events.values()) {
                Map<String, Object> ep = properties(event);
                if ("Api".equals(event.get("Type"))) {
                    routes.add(new Route(((String) ep.get("Method")).toUpperCase(Locale.ROOT), (String) ep.get("Path")));
                } else if ("ScheduleV2".equals(event.get("Type")) && ep.get("Input") != null) {
                    input = String.valueOf(resolveForDisplay(ep.get("Input")));
                } else if ("SQS".equals(event.get("Type"))) {
                    Map<String, Object> scaling = (Map<String, Object>) ep.getOrDefault("ScalingConfig", Map.of());
                    queueSource = new QueueSource(attributeOwner(ep.get("Queue")),
                            Integer.parseInt(resolve(ep.getOrDefault("BatchSize", 10), Map.of())),
                            Integer.parseInt(resolve(scaling.getOrDefault("MaximumConcurrency", 1000), Map.of())),
                            ((List<?>) ep.getOrDefault("FunctionResponseTypes", List.of())).contains("ReportBatchItemFailures"));
                } else if ("DynamoDB".equals(event.get("Type"))) {
                    Map<String, Object> criteria = (Map<String, Object>) ep.getOrDefault("FilterCriteria", Map.of());
                    List<String> patterns = ((List<Map<String, Object>>) criteria.getOrDefault("Filters", List.of())).stream()
                            .map(f -> (String) f.get("Pattern")).toList();
                    streamSource = new StreamSource(Integer.parseInt(resolve(ep.getOrDefault("BatchSize", 100), Map.of())),
                            ((List<?>) ep.getOrDefault("FunctionResponseTypes", List.of())).contains("ReportBatchItemFailures"),
                            patterns);
                }
            }
            Map<String, Object> invokeConfig = (Map<String, Object>) p.getOrDefault("EventInvokeConfig", Map.of());
            int retries = ((Number) invokeConfig.getOrDefault("MaximumRetryAttempts", DEFAULT_ASYNC_RETRIES)).intValue();
            functions.add(new Function(e.getKey(), handler.substring(0, handler.indexOf("::")), timeout, env, routes, input, retries,
                    queueSource, streamSource));
        }
        return functions;
    }

    public Function function(String logicalId) {
        return functions().stream().filter(f -> f.logicalId().equals(logicalId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No function '" + logicalId + "' in the template; functions: "
                        + functions().stream().map(Function::logicalId).toList()));
    }

    /**
     * The function API Gateway sends {@code method} on {@code path} (a resource path such as
     * {@code /v1/agents/{agent_id}}) to, as it chooses: the path's own method, else its {@code ANY}.
     */
    public Optional<Function> functionServing(String method, String path) {
        List<Function> functions = functions();
        for (String chosen : List.of(method.toUpperCase(Locale.ROOT), Route.ANY)) {
            Route route = new Route(chosen, path);
            Optional<Function> serving = functions.stream().filter(f -> f.routes().contains(route)).findFirst();
            if (serving.isPresent()) {
                return serving;
            }
        }
        return Optional.empty();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> variables(Map<String, Object> props) {
        Map<String, Object> env = (Map<String, Object>) props.get("Environment");
        if (env == null) {
            return Map.of();
        }
        return (Map<String, Object>) env.getOrDefault("Variables", Map.of());
    }

    /** The template's SQS queues. */
    @SuppressWarnings("unchecked")
    public List<Queue> queues() {
        List<Queue> queues = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> e : resources().entrySet()) {
            if (!"AWS::SQS::Queue".equals(e.getValue().get("Type"))) {
                continue;
            }
            Map<String, Object> p = properties(e.getValue());
            Map<String, Object> redrive = (Map<String, Object>) p.get("RedrivePolicy");
            queues.add(new Queue(e.getKey(), ((Number) p.getOrDefault("VisibilityTimeout", 30)).intValue(),
                    redrive == null ? null : attributeOwner(redrive.get("deadLetterTargetArn")),
                    redrive == null ? 0 : ((Number) redrive.get("maxReceiveCount")).intValue()));
        }
        return queues;
    }

    public Queue queue(String logicalId) {
        return queues().stream().filter(q -> q.logicalId().equals(logicalId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No queue '" + logicalId + "' in the template"));
    }

    /** The queues (logical ids) a function's environment refers to. */
    public List<String> queuesReferredToBy(Function function) {
        List<String> queues = queues().stream().map(Queue::logicalId).toList();
        return function.environment().values().stream()
                .filter(v -> v instanceof Map<?, ?> map && queues.contains(String.valueOf(map.get("Ref"))))
                .map(v -> String.valueOf(((Map<?, ?>) v).get("Ref"))).toList();
    }

    /** The resource a {@code !GetAtt Resource.Attribute} belongs to. */
    private static String attributeOwner(Object getAtt) {
        if (getAtt instanceof Map<?, ?> map && map.get("Fn::GetAtt") instanceof String target) {
            return target.substring(0, target.indexOf('.'));
        }
        throw new IllegalStateException("expected !GetAtt Resource.Arn, got " + getAtt);
    }

    /** A response API Gateway itself gives, as an API's {@code GatewayResponses} declares it. */
    public record GatewayResponse(int status, String body) {}

    /**
     * What the template's API answers for one of API Gateway's own response types (such as
     * {@code MISSING_AUTHENTICATION_TOKEN}), with its {@code application/json} template; empty
     * when no API of the template declares that type.
     */
    @SuppressWarnings("unchecked")
    public Optional<GatewayResponse> gatewayResponse(String type) {
        for (Map<String, Object> resource : resources().values()) {
            if (!"AWS::Serverless::Api".equals(resource.get("Type"))) {
                continue;
            }
            Map<String, Object> responses = (Map<String, Object>) properties(resource).getOrDefault("GatewayResponses", Map.of());
            if (responses.get(type) instanceof Map<?, ?> response) {
                Map<String, Object> templates = response.get("ResponseTemplates") instanceof Map<?, ?> t
                        ? (Map<String, Object>) t : Map.of();
                return Optional.of(new GatewayResponse(Integer.parseInt(String.valueOf(response.get("StatusCode"))),
                        String.valueOf(templates.getOrDefault("application/json", ""))));
            }
        }
        return Optional.empty();
    }

    /**
     * The Lambda authorizer function (logical id) API Gateway runs before {@code function}'s
     * {@code route}: the route's own {@code Auth.Authorizer}, else its API's default authorizer;
     * null when none runs.
     */
    @SuppressWarnings("unchecked")
    public String authorizerFunction(String function, Route route) {
        Map<String, Map<String, Object>> events = (Map<String, Map<String, Object>>) properties(resources().get(function))
                .getOrDefault("Events", Map.of());
        for (Map<String, Object> event : events.values()) {
            Map<String, Object> ep = properties(event);
            if (!"Api".equals(event.get("Type")) || !route.equals(new Route(((String) ep.get("Method")).toUpperCase(Locale.ROOT),
                    (String) ep.get("Path")))) {
                continue;
            }
            Map<String, Object> apiAuth = ep.get("RestApiId") instanceof Map<?, ?> ref
                    ? (Map<String, Object>) properties(resources().get(String.valueOf(ref.get("Ref")))).getOrDefault("Auth", Map.of())
                    : Map.of();
            Object name = ((Map<String, Object>) ep.getOrDefault("Auth", Map.of())).getOrDefault("Authorizer",
                    apiAuth.get("DefaultAuthorizer"));
            if (name == null || "NONE".equals(name) || "AWS_IAM".equals(name)) {
                return null;
            }
            Map<String, Object> authorizer = ((Map<String, Map<String, Object>>) apiAuth.get("Authorizers")).get(String.valueOf(name));
            return functionOf(authorizer.get("FunctionArn"));
        }
        throw new IllegalArgumentException(function + " serves no route " + route);
    }

    /** The function a {@code !Ref X}, {@code !Ref X.Alias} or {@code !GetAtt X.Arn} names, or null when it names none. */
    private String functionOf(Object reference) {
        if (!(reference instanceof Map<?, ?> map)) {
            return null;
        }
        Object target = map.containsKey("Ref") ? map.get("Ref") : map.get("Fn::GetAtt");
        String name = target instanceof List<?> list ? String.valueOf(list.get(0)) : String.valueOf(target);
        String logicalId = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
        Map<String, Object> resource = resources().get(logicalId);
        return resource != null && "AWS::Serverless::Function".equals(resource.get("Type")) ? logicalId : null;
    }

    /**
     * The environment a function sees locally: template values with {@code !Ref}s resolved (the
     * table to its local name, a function to its logical id, which is its name locally,
     * parameters to their defaults) and {@code !Sub}s of parameters and the stack name.
     */
    public Map<String, String> resolveEnvironment(Function function, String tableName) {
        return resolveEnvironment(function, Map.of(table().logicalId(), tableName));
    }

    /** @param resources what {@code !Ref} of a resource (the table, a queue) is locally, by logical id */
    public Map<String, String> resolveEnvironment(Function function, Map<String, String> resources) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : function.environment().entrySet()) {
            out.put(e.getKey(), resolve(e.getValue(), resources));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private String resolve(Object value, Map<String, String> resources) {
        if (value instanceof Map<?, ?> map && map.containsKey("Ref")) {
            String ref = String.valueOf(map.get("Ref"));
            if (resources.containsKey(ref)) {
                return resources.get(ref);
            }
            String function = functionOf(map);
            if (function != null) {
                return function;
            }
            Map<String, Map<String, Object>> params = (Map<String, Map<String, Object>>) root.getOrDefault("Parameters", Map.of());
            if (params.containsKey(ref)) {
                return String.valueOf(params.get(ref).get("Default"));
            }
            throw new IllegalStateException("cannot resolve !Ref " + ref + " locally");
        }
        return String.valueOf(resolveForDisplay(value));
    }

    /** A {@code !Sub} string with parameters replaced by their defaults and the stack name by {@value #LOCAL_STACK_NAME}. */
    @SuppressWarnings("unchecked")
    private Object resolveForDisplay(Object value) {
        if (value instanceof Map<?, ?> map && map.containsKey("Fn::Sub")) {
            String text = String.valueOf(map.get("Fn::Sub")).replace("${AWS::StackName}", LOCAL_STACK_NAME);
            Map<String, Map<String, Object>> params = (Map<String, Map<String, Object>>) root.getOrDefault("Parameters", Map.of());
            for (Map.Entry<String, Map<String, Object>> p : params.entrySet()) {
                text = text.replace("${" + p.getKey() + "}", String.valueOf(p.getValue().get("Default")));
            }
            return text;
        }
        return value;
    }
}
