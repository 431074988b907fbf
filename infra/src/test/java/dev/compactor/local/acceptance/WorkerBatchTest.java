package dev.compactor.local.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.compactor.app.Services;
import dev.compactor.batch.BatchWorkerHandler;
import dev.compactor.batch.DueMessage;
import dev.compactor.batch.Outcome;
import dev.compactor.compaction.CompactionService;
import dev.compactor.conversation.Agent;
import dev.compactor.conversation.DueState;
import dev.compactor.conversation.Ids;
import dev.compactor.local.runtime.LocalContext;
import dev.compactor.local.testing.DueFixtures;
import dev.compactor.local.testing.TestDynamo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The worker function on SQS events, through its Lambda entry point against DynamoDB Local: only
 * the messages that failed come back as {@code batchItemFailures}; compacted and skipped ones do
 * not. The model provider is a stand-in that answers or fails by model name.
 */
class WorkerBatchTest {
    private final TestDynamo local = TestDynamo.get();
    private final String table = local.newTable();
    private final DueFixtures.Summaries summaries = new DueFixtures.Summaries();
    private final Services services = local.services(table, summaries);
    private final DueFixtures due = new DueFixtures(services.store());
    private final BatchWorkerHandler worker = new BatchWorkerHandler(services);

    @Test
    void aBatchWithSomeFailuresReportsOnlyThoseMessages() {
        Agent agent = due.agent(DueFixtures.TENANT, null, null);
        Agent broken = due.agent(DueFixtures.TENANT, null, DueFixtures.BROKEN_MODEL);
        String dueOne = due.conversation(DueFixtures.TENANT, agent, 9_000);
        String failing = due.conversation(DueFixtures.TENANT, broken, 9_000);
        String movedOn = due.conversation(DueFixtures.TENANT, agent, 9_000);
        services.compaction().compact(DueFixtures.TENANT, CompactionService.Target.conversation(movedOn), null, "manual",
                Instant.now().plusSeconds(30));
        SQSEvent event = event(List.of(
                record("m-compacts", message(dueOne, 0)),
                record("m-model-fails", message(failing, 0)),
                record("m-malformed", "{\"tenant\": \"local\", \"conversation_id\": \"default\"}"),
                record("m-moved-on", message(movedOn, 0)),
                record("m-unknown", message(Ids.newConversationId(), 0))));

        SQSBatchResponse response = worker.handleRequest(event, new LocalContext("BatchWorkerFunction", 600));

        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly("m-model-fails", "m-malformed");
        assertThat(generation(dueOne)).isEqualTo(1);
        assertThat(generation(failing)).isZero();
        assertThat(generation(movedOn)).isEqualTo(1);
        assertThat(services.store().compactions(DueFixtures.TENANT, movedOn, 0, 10, true)).hasSize(1);
    }

    @Test
    void recordsAreReportedAsFailedAndNotStartedWhenTooLittleTimeIsLeft() {
        Agent agent = due.agent(DueFixtures.TENANT, null, null);
        String id = due.conversation(DueFixtures.TENANT, agent, 9_000);

        List<BatchWorkerHandler.Processed> processed = worker.process(event(List.of(record("m-late", message(id, 0)))),
                Instant.now().plusSeconds(5));

        assertThat(processed).singleElement().satisfies(p -> {
            assertThat(p.outcome().kind()).isEqualTo(Outcome.Kind.FAILED);
            assertThat(p.outcome().reason()).contains("not started");
        });
        assertThat(generation(id)).isZero();
        assertThat(summaries.calls).hasValue(0);
    }

    private long generation(String conversationId) {
        return services.store().findConversation(DueFixtures.TENANT, conversationId).orElseThrow().compactionGen();
    }

    static String message(String conversationId, long generation) {
        return new DueMessage(DueFixtures.TENANT, conversationId, generation, 9_000, DueState.DUE).toJson();
    }

    static SQSEvent.SQSMessage record(String messageId, String body) {
        SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
        record.setMessageId(messageId);
        record.setReceiptHandle("handle-" + messageId);
        record.setBody(body);
        record.setAttributes(Map.of("ApproximateReceiveCount", "1"));
        record.setMessageAttributes(Map.of());
        record.setEventSource("aws:sqs");
        record.setEventSourceArn("arn:aws:sqs:us-east-1:000000000000:test");
        record.setAwsRegion("us-east-1");
        return record;
    }

    static SQSEvent event(List<SQSEvent.SQSMessage> records) {
        SQSEvent event = new SQSEvent();
        event.setRecords(records);
        return event;
    }
}
