package dev.compactor.local.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.compactor.app.AwsClients;
import dev.compactor.batch.SqsSender;
import dev.compactor.local.providers.ScriptedServer;
import dev.compactor.support.Env;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * SendMessageBatch's failure handling against a local server speaking SQS's JSON protocol (what
 * ElasticMQ cannot be made to do): entries SQS failed on its side are sent again, alone; throttling
 * and server errors are retried; a malformed entry or request fails at once.
 */
class SqsSenderTest {
    private static final String QUEUE = "https://sqs.us-east-1.amazonaws.com/123456789012/compaction";

    @Test
    void resendsOnlyTheEntriesSqsFailedOnItsSide() throws IOException {
        try (ScriptedServer sqs = new ScriptedServer()
                .then(ScriptedServer.json(200, "{\"Successful\": [{\"Id\": \"0\"}, {\"Id\": \"2\"}], \"Failed\": [{\"Id\": \"1\", "
                        + "\"SenderFault\": false, \"Code\": \"InternalError\", \"Message\": \"try again\"}]}"))
                .then(ScriptedServer.json(200, "{\"Successful\": [{\"Id\": \"1\"}]}"))) {

            sender(sqs).send(List.of("a", "b", "c"));

            assertThat(sqs.requests()).hasSize(2);
            ScriptedServer.Recorded first = sqs.requests().get(0);
            assertThat(first.header("X-Amz-Target")).isEqualTo("AmazonSQS.SendMessageBatch");
            assertThat(first.header("Content-Type")).isEqualTo("application/x-amz-json-1.0");
            assertThat(first.header("Authorization")).startsWith("AWS4-HMAC-SHA256 Credential=AKIDLOCAL/").contains("/us-east-1/sqs/");
            assertThat(first.json()).containsEntry("QueueUrl", QUEUE);
            assertThat(sqs.requests().get(1).json().get("Entries")).isEqualTo(List.of(Map.of("Id", "1", "MessageBody", "b")));
        }
    }

    @Test
    void retriesThrottlingAndServerErrors() throws IOException {
        try (ScriptedServer sqs = new ScriptedServer()
                .then(ScriptedServer.json(400, "{\"__type\": \"com.amazonaws.sqs#ThrottlingException\", \"message\": \"slow down\"}"))
                .then(ScriptedServer.json(503, "{}"))
                .then(ScriptedServer.json(200, "{\"Successful\": [{\"Id\": \"0\"}]}"))) {

            sender(sqs).send(List.of("a"));

            assertThat(sqs.requests()).hasSize(3);
        }
    }

    @Test
    void aMalformedEntryOrRequestFailsAtOnce() throws IOException {
        try (ScriptedServer sqs = new ScriptedServer().then(ScriptedServer.json(200, "{\"Successful\": [], \"Failed\": [{\"Id\": \"0\", "
                + "\"SenderFault\": true, \"Code\": \"InvalidMessageContents\", \"Message\": \"bad character\"}]}"))) {
            assertThatThrownBy(() -> sender(sqs).send(List.of("a"))).isInstanceOf(SqsSender.SqsException.class)
                    .hasMessageContaining("InvalidMessageContents");
            assertThat(sqs.requests()).hasSize(1);
        }
        try (ScriptedServer sqs = new ScriptedServer().then(ScriptedServer.json(400,
                "{\"__type\": \"com.amazonaws.sqs#QueueDoesNotExist\", \"message\": \"The specified queue does not exist.\"}"))) {
            assertThatThrownBy(() -> sender(sqs).send(List.of("a"))).isInstanceOf(SqsSender.SqsException.class)
                    .hasMessageContaining("QueueDoesNotExist");
            assertThat(sqs.requests()).hasSize(1);
        }
    }

    @Test
    void givesUpAfterItsAttempts() throws IOException {
        try (ScriptedServer sqs = new ScriptedServer().then(ScriptedServer.json(500, "{}"))) {
            assertThatThrownBy(() -> sender(sqs).send(List.of("a"))).isInstanceOf(SqsSender.SqsException.class)
                    .hasMessageContaining("1 of 1 messages not sent after 5 attempts");
            assertThat(sqs.requests()).hasSize(5);
        }
    }

    private static SqsSender sender(ScriptedServer sqs) {
        Env env = new Env(Map.of("COMPACTION_QUEUE_URL", QUEUE, "AWS_ENDPOINT_URL_SQS", sqs.uri().toString(),
                "AWS_ACCESS_KEY_ID", "AKIDLOCAL", "AWS_SECRET_ACCESS_KEY", "secret"));
        return SqsSender.compactionQueue(env, AwsClients.sqs(env));
    }
}
