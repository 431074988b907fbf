package dev.compactor.local.runtime;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Runs the template's functions in this JVM, one warm instance per function (like a Lambda
 * container), each with the environment a deployed function would see: the template's variables,
 * with the offline summarizer as default and last resort, overlaid by this process's environment
 * (as {@code sam local --env-vars} does), pointed at the local DynamoDB, for functions that name
 * a queue at the local SQS, and, once a function is hosted, at a local Lambda endpoint that runs
 * the functions it invokes asynchronously.
 */
public final class FunctionHost implements AutoCloseable {
    private final SamTemplate template;
    private final String tableName;
    private final String dynamoEndpoint;
    private final Map<String, String> processEnvironment;
    private final Supplier<LocalQueues> queues;
    private final Map<String, Object> handlers = new ConcurrentHashMap<>();
    private LocalLambda lambda;

    /** A host for functions that name no queue. */
    public FunctionHost(SamTemplate template, String tableName, String dynamoEndpoint, Map<String, String> processEnvironment) {
        this(template, tableName, dynamoEndpoint, processEnvironment, () -> {
            throw new IllegalStateException("this function host has no local SQS");
        });
    }

    /** @param queues the template's queues, asked for the first time a function naming one is hosted */
    public FunctionHost(SamTemplate template, String tableName, String dynamoEndpoint, Map<String, String> processEnvironment,
                        Supplier<LocalQueues> queues) {
        this.template = template;
        this.tableName = tableName;
        this.dynamoEndpoint = dynamoEndpoint;
        this.processEnvironment = processEnvironment;
        this.queues = queues;
    }

    public SamTemplate template() {
        return template;
    }

    /** The environment the named function gets. */
    public Map<String, String> environment(SamTemplate.Function function) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_REGION", "us-east-1");
        env.put("DEFAULT_TENANT", "local");
        Map<String, String> resources = new LinkedHashMap<>();
        resources.put(template.table().logicalId(), tableName);
        if (!template.queuesReferredToBy(function).isEmpty()) {
            LocalQueues local = queues.get();
            resources.putAll(local.urls());
            env.put("AWS_ENDPOINT_URL_SQS", local.endpoint());
        }
        env.putAll(template.resolveEnvironment(function, resources));
        // On a laptop the offline summarizer is the default and the last resort (the template's
        // defaults are the cloud's: a Bedrock model, no extractive fallback); the user's
        // environment still overrides both.
        env.put("DEFAULT_SUMMARIZER_MODEL", "local/extractive");
        env.put("EXTRACTIVE_FALLBACK", "true");
        env.putAll(processEnvironment);
        if (env.get("AWS_ENDPOINT_URL_EVENTBRIDGE") == null && !processEnvironment.containsKey("EVENT_BUS_NAME")) {
            // No EventBridge here: events are published locally only to an endpoint the user names.
            env.remove("EVENT_BUS_NAME");
        }
        if (!processEnvironment.containsKey("AWS_ACCESS_KEY_ID") && !processEnvironment.containsKey("AWS_PROFILE")) {
            // DynamoDB Local accepts any signature; real providers will reject these, as they should.
            env.put("AWS_ACCESS_KEY_ID", "local");
            env.put("AWS_SECRET_ACCESS_KEY", "local");
        }
        env.put("TABLE_NAME", tableName);
        env.put("AWS_ENDPOINT_URL_DYNAMODB", dynamoEndpoint);
        env.put("AWS_LAMBDA_FUNCTION_NAME", function.logicalId());
        return env;
    }

    /** The function's handler instance: a {@link RequestStreamHandler} or a {@link RequestHandler}. */
    public Object handler(String logicalId) {
        return handlers.computeIfAbsent(logicalId, id -> {
            SamTemplate.Function function = template.function(id);
            Map<String, String> environment = new LinkedHashMap<>(environment(function));
            environment.put("AWS_ENDPOINT_URL_LAMBDA", lambda().endpoint());
            try {
                return Class.forName(function.handlerClass()).getConstructor(Map.class).newInstance(environment);
            } catch (InvocationTargetException e) {
                throw new IllegalStateException("Function " + id + " failed to initialise: " + e.getCause().getMessage(), e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("Function " + id + ": cannot create " + function.handlerClass(), e);
            }
        });
    }

    /** The local Lambda endpoint the hosted functions invoke each other through, started on first use. */
    public synchronized LocalLambda lambda() {
        if (lambda == null) {
            lambda = new LocalLambda(this);
        }
        return lambda;
    }

    /** Stops the local Lambda endpoint, if it started. */
    @Override
    public synchronized void close() {
        if (lambda != null) {
            lambda.close();
            lambda = null;
        }
    }

    /**
     * Invokes a function with an event and returns its response document.
     *
     * @throws RuntimeException what the function threw: Lambda reports it as the invocation's error
     */
    public String invoke(String logicalId, String eventJson) {
        SamTemplate.Function function = template.function(logicalId);
        LocalContext context = new LocalContext(logicalId, function.timeoutSeconds());
        Object handler = handler(logicalId);
        if (handler instanceof RequestHandler<?, ?> typed) {
            return invoke(typed, eventJson, context);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ((RequestStreamHandler) handler).handleRequest(new ByteArrayInputStream(eventJson.getBytes(StandardCharsets.UTF_8)), out,
                    context);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** As the runtime does: the event read into the handler's input type, the answer written by its serializer. */
    @SuppressWarnings("unchecked")
    private static <I> String invoke(RequestHandler<I, ?> handler, String eventJson, LocalContext context) {
        I event = RuntimeSerialization.read(eventJson, (Class<I>) eventType(handler.getClass()));
        return RuntimeSerialization.write(handler.handleRequest(event, context));
    }

    private static Class<?> eventType(Class<?> handlerClass) {
        for (Type type : handlerClass.getGenericInterfaces()) {
            if (type instanceof ParameterizedType p && p.getRawType() == RequestHandler.class
                    && p.getActualTypeArguments()[0] instanceof Class<?> event) {
                return event;
            }
        }
        throw new IllegalStateException(handlerClass.getName() + " does not name its RequestHandler event type");
    }
}
