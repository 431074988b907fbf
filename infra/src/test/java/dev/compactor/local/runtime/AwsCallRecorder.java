package dev.compactor.local.runtime;

import com.sun.net.httpserver.HttpExchange;
import dev.compactor.local.providers.ScriptedServer;
import dev.compactor.support.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * Lambda's Invoke, SQS's SendMessageBatch, Secrets Manager's GetSecretValue, SSM's GetParameter
 * and EventBridge's PutEvents (Invoke, GetParameter and PutEvents signed by hand over the JDK HTTP
 * client, the others through SDK clients built inside the handlers, out of an interceptor's reach): one local endpoint that
 * answers each as the service would and reads it as the IAM action it is, attributed to the
 * function whose access key id signed it.
 */
public final class AwsCallRecorder implements AutoCloseable {
    private static final Pattern INVOKE = Pattern.compile("/2015-03-31/functions/([^/]+)/invocations");
    private static final Pattern CREDENTIAL = Pattern.compile("Credential=([^/]+)/");
    private static final String SEND_BATCH = "AmazonSQS.SendMessageBatch";
    private static final String PUT_EVENTS = "AWSEvents.PutEvents";

    private final ScriptedServer server;

    /** @param providerKeys what the provider-keys secret and parameter hold */
    public AwsCallRecorder(Map<String, String> providerKeys) {
        String keys = Json.write(providerKeys);
        try {
            server = new ScriptedServer().then((exchange, self) -> answer(exchange, self, keys));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI endpoint() {
        return server.uri();
    }

    /** The actions of the calls signed with {@code accessKeyId}. */
    public List<AwsAction> recorded(String accessKeyId) {
        return calls(accessKeyId).stream().map(AwsCallRecorder::action).toList();
    }

    /** The events the function signing with {@code accessKeyId} handed to Lambda to run asynchronously. */
    public List<String> invocations(String accessKeyId) {
        return calls(accessKeyId).stream().filter(r -> r.header("X-Amz-Target") == null).map(ScriptedServer.Recorded::text).toList();
    }

    /** The message bodies the function signing with {@code accessKeyId} sent to SQS. */
    public List<String> sentMessages(String accessKeyId) {
        return calls(accessKeyId).stream().filter(r -> SEND_BATCH.equals(r.header("X-Amz-Target")))
                .flatMap(r -> ((List<?>) r.json().get("Entries")).stream()).map(e -> String.valueOf(((Map<?, ?>) e).get("MessageBody")))
                .toList();
    }

    /** The PutEvents entries (Source, DetailType, Detail, EventBusName) the function signing with {@code accessKeyId} sent. */
    public List<Map<String, Object>> putEvents(String accessKeyId) {
        return calls(accessKeyId).stream().filter(r -> PUT_EVENTS.equals(r.header("X-Amz-Target")))
                .flatMap(r -> ((List<?>) r.json().get("Entries")).stream()).map(e -> {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> entry = (Map<String, Object>) e;
                    return entry;
                }).toList();
    }

    /** Every request body any function sent to this endpoint, to look for what must never leave. */
    public List<String> bodies() {
        return server.requests().stream().map(ScriptedServer.Recorded::text).toList();
    }

    private List<ScriptedServer.Recorded> calls(String accessKeyId) {
        return server.requests().stream().filter(r -> {
            Matcher m = CREDENTIAL.matcher(String.valueOf(r.header("Authorization")));
            return m.find() && m.group(1).equals(accessKeyId);
        }).toList();
    }

    private static AwsAction action(ScriptedServer.Recorded call) {
        String target = call.header("X-Amz-Target");
        if (target == null) {
            Matcher m = INVOKE.matcher(call.path());
            if (!m.matches()) {
                throw new AssertionError("an AWS call this recorder does not know: " + call.method() + " " + call.path());
            }
            String function = URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
            return new AwsAction("lambda:InvokeFunction", function.startsWith("arn:") ? function : DeployedStack.functionArn(function));
        }
        Map<String, Object> body = call.json();
        return switch (target) {
            // SQS authorises SendMessageBatch as SendMessage.
            case SEND_BATCH -> new AwsAction("sqs:SendMessage", queueArn(URI.create(String.valueOf(body.get("QueueUrl")))));
            case "secretsmanager.GetSecretValue" -> new AwsAction("secretsmanager:GetSecretValue", String.valueOf(body.get("SecretId")));
            case "AmazonSSM.GetParameter" -> new AwsAction("ssm:GetParameter", String.valueOf(body.get("Name")));
            case PUT_EVENTS -> new AwsAction("events:PutEvents", "arn:" + DeployedStack.PARTITION + ":events:" + DeployedStack.REGION + ":"
                    + DeployedStack.ACCOUNT + ":event-bus/" + ((Map<?, ?>) ((List<?>) body.get("Entries")).get(0)).get("EventBusName"));
            default -> throw new AssertionError("an AWS call this recorder does not know: " + target);
        };
    }

    /** {@code https://sqs.<region>.amazonaws.com/<account>/<name>} as {@code arn:aws:sqs:<region>:<account>:<name>}. */
    private static String queueArn(URI queueUrl) {
        String[] path = queueUrl.getPath().split("/");
        String region = queueUrl.getHost().split("\\.")[1];
        return "arn:" + DeployedStack.PARTITION + ":sqs:" + region + ":" + path[1] + ":" + path[2];
    }

    private static void answer(HttpExchange exchange, ScriptedServer self, String providerKeys) throws IOException {
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        ScriptedServer.Answer answer = target == null ? ScriptedServer.json(202, "") : switch (target) {
            // Every id a batch can carry: the sender takes those it sent as sent.
            case SEND_BATCH -> ScriptedServer.json(200, Json.write(Map.of("Successful",
                    IntStream.range(0, 10).mapToObj(i -> Map.of("Id", Integer.toString(i))).toList())));
            case "secretsmanager.GetSecretValue" -> ScriptedServer.json(200, Json.write(Map.of("SecretString", providerKeys)));
            case "AmazonSSM.GetParameter" -> ScriptedServer.json(200, Json.write(Map.of("Parameter", Map.of("Value", providerKeys))));
            case PUT_EVENTS -> ScriptedServer.json(200, "{\"FailedEntryCount\": 0, \"Entries\": [{\"EventId\": \"e-1\"}]}");
            default -> ScriptedServer.json(400, "{\"__type\": \"UnknownOperationException\"}");
        };
        answer.write(exchange, self);
    }

    @Override
    public void close() {
        server.close();
    }
}
