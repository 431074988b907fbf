package dev.compactor.local.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.compactor.app.Services;
import dev.compactor.batch.DueMessage;
import dev.compactor.conversation.Agent;
import dev.compactor.conversation.ConversationStore;
import dev.compactor.conversation.DueState;
import dev.compactor.local.command.BatchReport;
import dev.compactor.local.runtime.FunctionHost;
import dev.compactor.local.runtime.LocalBatch;
import dev.compactor.local.runtime.LocalQueues;
import dev.compactor.local.testing.DueFixtures;
import dev.compactor.local.testing.TestDynamo;
import dev.compactor.local.testing.TestSqs;
import dev.compactor.support.Env;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Scheduled compaction end to end as the template wires it, with the functions built from their
 * template environment: discovery sends to the queue in ElasticMQ, the event source feeds the
 * worker, compacted and skipped messages are deleted, and a message whose model always refuses
 * is tried {@code maxReceiveCount} times and lands in the dead-letter queue. Summaries come from
 * the offline summarizer, and the refusing model is a local server speaking OpenAI's error format.
 */
class SqsPathTest {
    private final TestDynamo local = TestDynamo.get();
    private final String table = local.newTable();
    private final LocalQueues queues = TestSqs.get().newQueues();

    @Test
    void dueConversationsAreCompactedThroughTheQueueAndAnAlwaysFailingOneEndsInTheDeadLetterQueue() throws IOException {
        AtomicInteger refused = new AtomicInteger();
        HttpServer openai = refusingOpenAi(refused);
        try {
            FunctionHost host = new FunctionHost(local.template, table, local.dynamo.endpoint(), Map.of("OPENAI_BASE_URL",
                    "http://127.0.0.1:" + openai.getAddress().getPort() + "/v1", "OPENAI_API_KEY", "test", "EXTRACTIVE_FALLBACK", "false"),
                    () -> queues);
            ConversationStore store = Services.fromEnvironment(new Env(host.environment(local.template.function("ApiFunction")))).store();
            DueFixtures due = new DueFixtures(store);
            Agent agent = due.agent(DueFixtures.TENANT, null, null);
            List<String> dueIds = IntStream.range(0, 5).mapToObj(i -> due.conversation(DueFixtures.TENANT, agent, 9_000)).toList();
            String failing = due.conversation(DueFixtures.TENANT, due.agent(DueFixtures.TENANT, null, "openai/gpt-4o-mini"), 9_000);
            due.conversation(DueFixtures.TENANT, agent, 3_000);
            LocalBatch batch = new LocalBatch(local.template, queues, TestSqs.get().sqs.client());
            BatchReport report = new BatchReport();

            LocalBatch.Result result = batch.run(host, 3, report::add);

            assertThat(result.sent()).isEqualTo(6);
            assertThat(report.compacted()).isEqualTo(5);
            assertThat(report.skipped()).isZero();
            assertThat(report.failedByReason().entrySet()).singleElement().satisfies(e -> {
                assertThat(e.getKey()).startsWith("model bad_request");
                assertThat(e.getValue()).isEqualTo(1);
            });
            assertThat(refused.get()).isPositive();
            assertThat(TestSqs.get().drain(queues.url("CompactionQueue"))).isEmpty();
            assertThat(TestSqs.get().drain(queues.url("CompactionDeadLetterQueue"))).singleElement()
                    .satisfies(body -> assertThat(DueMessage.parse(body).conversationId()).isEqualTo(failing));
            for (String id : dueIds) {
                assertThat(store.findConversation(DueFixtures.TENANT, id).orElseThrow())
                        .satisfies(head -> assertThat(head.compactionGen()).isEqualTo(1))
                        .satisfies(head -> assertThat(head.dueState()).isEqualTo(DueState.NONE));
            }
            assertThat(store.findConversation(DueFixtures.TENANT, failing).orElseThrow().dueState()).isEqualTo(DueState.QUEUED);

            BatchReport nextRun = new BatchReport();
            assertThat(batch.run(host, 3, nextRun::add).sent()).isZero();
            assertThat(nextRun.done()).isZero();
        } finally {
            openai.stop(0);
        }
    }

    /** OpenAI's chat completions refusing every request as a bad one, counting them. */
    private static HttpServer refusingOpenAi(AtomicInteger refused) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/chat/completions", exchange -> {
            exchange.getRequestBody().readAllBytes();
            refused.incrementAndGet();
            byte[] body = "{\"error\": {\"message\": \"The model does not exist.\", \"type\": \"invalid_request_error\"}}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(400, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return server;
    }
}
