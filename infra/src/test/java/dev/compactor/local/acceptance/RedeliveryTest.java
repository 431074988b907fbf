package dev.compactor.local.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.compactor.app.AwsClients;
import dev.compactor.app.Services;
import dev.compactor.batch.BatchWorkerHandler;
import dev.compactor.batch.DiscoveryHandler;
import dev.compactor.batch.Outcome;
import dev.compactor.conversation.Agent;
import dev.compactor.llm.ModelHandle;
import dev.compactor.llm.Summarizer;
import dev.compactor.llm.SummaryResult;
import dev.compactor.llm.TokenUsage;
import dev.compactor.local.command.BatchReport;
import dev.compactor.local.runtime.LocalBatch;
import dev.compactor.local.runtime.LocalQueues;
import dev.compactor.local.runtime.LocalSqsEventSource;
import dev.compactor.local.testing.DueFixtures;
import dev.compactor.local.testing.Latches;
import dev.compactor.local.testing.Backend;
import dev.compactor.support.Env;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * A worker that dies mid-batch, or two deliveries of one message at once, leave exactly one
 * compaction per conversation and generation. The queue is ElasticMQ, redelivering what the dead
 * worker never acknowledged. A container dying cannot happen in a test JVM: an SDK interceptor
 * throws an {@link Error} just before or just after the commit's transaction reaches DynamoDB
 * Local, and the event source sees the invocation fail, as Lambda would.
 */
class RedeliveryTest {
    private final Backend local = backend();
    private final String table = local.newTable();
    private final LocalQueues queues = local.newQueues();
    private final DueFixtures.Summaries summaries = new DueFixtures.Summaries();
    private final Env discoveryEnv = local.discoveryEnv(table, queues, Map.of());
    private final Services services = new Services(discoveryEnv, AwsClients.dynamo(discoveryEnv), summaries, Clock.systemUTC());
    private final DueFixtures due = new DueFixtures(services.store());

    /** The container died. */
    static final class Died extends Error {
        Died() {
            super("the worker's container died");
        }
    }

    /** Where the test runs: DynamoDB Local and ElasticMQ here; its LocalStack variant overrides this. */
    Backend backend() {
        return Backend.emulators();
    }

    @Test
    void aWorkerThatDiesAfterItsCommitIsRedeliveredAndSkipsTheGenerationItCompacted() {
        List<String> ids = dueConversations(3);
        AtomicBoolean armed = new AtomicBoolean(true);

        BatchReport report = runBatch(dyingOnce(armed, true));

        assertThat(armed).isFalse();
        assertThat(report.compacted()).isEqualTo(2);
        assertThat(report.skippedByReason()).isEqualTo(Map.of("moved on: compacted or reverted since it was queued", 1L));
        assertThat(report.failed()).isZero();
        assertOneCompactionEach(ids);
        assertThat(summaries.calls).hasValue(3);
    }

    @Test
    void aWorkerThatDiesBeforeItsCommitIsRedeliveredAndCompactsOnce() {
        List<String> ids = dueConversations(3);
        AtomicBoolean armed = new AtomicBoolean(true);

        BatchReport report = runBatch(dyingOnce(armed, false));

        assertThat(armed).isFalse();
        assertThat(report.compacted()).isEqualTo(3);
        assertThat(report.done()).isEqualTo(3);
        assertOneCompactionEach(ids);
        assertThat(summaries.calls).hasValue(4);
    }

    @Test
    void twoDeliveriesOfOneMessageAtOnceCallTheModelOnceAndCommitOnce() {
        String id = dueConversations(1).get(0);
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch firstSummarizing = new CountDownLatch(1);
        CountDownLatch secondDone = new CountDownLatch(1);
        // The first delivery holds its model call until the second has run: the second finds the generation's lease.
        Function<ModelHandle, Summarizer> holding = handle -> request -> {
            calls.incrementAndGet();
            firstSummarizing.countDown();
            Latches.await(secondDone);
            return new SummaryResult("The user reviewed deployment notes.", SummaryResult.LLM, handle, TokenUsage.NONE, 1);
        };
        BatchWorkerHandler worker = new BatchWorkerHandler(local.services(table, holding));
        SQSEvent event = WorkerBatchTest.event(List.of(WorkerBatchTest.record("m-twice", WorkerBatchTest.message(id, 0))));

        CompletableFuture<List<BatchWorkerHandler.Processed>> first =
                CompletableFuture.supplyAsync(() -> worker.process(event, Instant.now().plusSeconds(60)));
        Latches.await(firstSummarizing);
        List<BatchWorkerHandler.Processed> second = worker.process(event, Instant.now().plusSeconds(60));
        secondDone.countDown();

        assertThat(second.get(0).outcome().kind()).isEqualTo(Outcome.Kind.SKIPPED);
        assertThat(second.get(0).outcome().reason()).startsWith("in progress");
        assertThat(first.join().get(0).outcome().kind()).isEqualTo(Outcome.Kind.COMPACTED);
        assertThat(calls).hasValue(1);
        assertOneCompactionEach(List.of(id));
    }

    private List<String> dueConversations(int n) {
        Agent agent = due.agent(DueFixtures.TENANT, null, null);
        return IntStream.range(0, n).mapToObj(i -> due.conversation(DueFixtures.TENANT, agent, 9_000)).toList();
    }

    /** Discovery and one poller feeding {@code worker}, through ElasticMQ. */
    private BatchReport runBatch(LocalSqsEventSource.Worker worker) {
        BatchReport report = new BatchReport();
        new LocalBatch(local.template(), queues, local.sqs()).run(new DiscoveryHandler(services), worker, 1, report::add);
        assertThat(local.drain(queues.url("CompactionQueue"))).isEmpty();
        assertThat(local.drain(queues.url("CompactionDeadLetterQueue"))).isEmpty();
        return report;
    }

    /** A worker whose container dies once, just before or just after its first commit transaction reaches DynamoDB. */
    private LocalSqsEventSource.Worker dyingOnce(AtomicBoolean armed, boolean afterCommit) {
        ExecutionInterceptor dies = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                if (!afterCommit && context.request() instanceof TransactWriteItemsRequest && armed.getAndSet(false)) {
                    throw new Died();
                }
            }

            @Override
            public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
                if (afterCommit && context.request() instanceof TransactWriteItemsRequest && armed.getAndSet(false)) {
                    throw new Died();
                }
            }
        };
        BatchWorkerHandler handler = new BatchWorkerHandler(local.services(table, summaries, dies));
        return event -> {
            try {
                return handler.process(event, Instant.now().plusSeconds(600));
            } catch (Died e) {
                throw new IllegalStateException("invocation failed: " + e.getMessage(), e);
            }
        };
    }

    private void assertOneCompactionEach(List<String> ids) {
        for (String id : ids) {
            assertThat(services.store().compactions(DueFixtures.TENANT, id, 0, 10, true)).as(id).hasSize(1);
            assertThat(services.store().findConversation(DueFixtures.TENANT, id).orElseThrow().compactionGen()).as(id).isEqualTo(1);
        }
    }
}
