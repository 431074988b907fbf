package dev.compactor.local.acceptance;

import static dev.compactor.local.providers.ScriptedServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.api.ApiHandler;
import dev.compactor.api.ApiResponse;
import dev.compactor.api.CompactionWorkerHandler;
import dev.compactor.app.Services;
import dev.compactor.compaction.CompactionService;
import dev.compactor.conversation.Agent;
import dev.compactor.conversation.ConversationHead;
import dev.compactor.conversation.Ids;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.Role;
import dev.compactor.conversation.SummaryRecord;
import dev.compactor.llm.SummaryResult;
import dev.compactor.llm.TokenUsage;
import dev.compactor.local.providers.ScriptedServer;
import dev.compactor.local.testing.ApiEvents;
import dev.compactor.local.testing.TestDynamo;
import dev.compactor.support.Env;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * History retention ({@code RETENTION_DAYS}) against DynamoDB Local. DynamoDB Local does not run
 * TTL deletion, so these tests check what the stamping writes ({@code expires_at} on exactly the
 * items no context and no allowed revert can need) and that the commit transaction does not grow
 * with what it evicts. The summarizer is a stand-in.
 */
class RetentionTest {
    static final String TENANT = "local";
    static final int DAYS = 30;

    private final TestDynamo local = TestDynamo.get();
    private final String table = local.newTable();
    /** Actions of each TransactWriteItems call that puts a summary record: the compaction commits. */
    private final List<Integer> commitSizes = new ArrayList<>();

    private Services services() {
        Map<String, String> vars = new HashMap<>(local.env(table).vars());
        vars.remove(Env.COMPACTION_WORKER_FUNCTION);
        return services(vars);
    }

    private Services services(Map<String, String> environment) {
        Map<String, String> vars = new HashMap<>(environment);
        vars.put(Env.RETENTION_DAYS, Integer.toString(DAYS));
        return local.services(new Env(vars), handle -> request -> new SummaryResult("summary", SummaryResult.LLM, handle,
                TokenUsage.NONE, 10), new ExecutionInterceptor() {
                    @Override
                    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                        if (context.request() instanceof TransactWriteItemsRequest t && t.transactItems().stream()
                                .anyMatch(i -> i.put() != null && i.put().item().get("sk").s().startsWith("SUM#"))) {
                            synchronized (commitSizes) {
                                commitSizes.add(t.transactItems().size());
                            }
                        }
                    }
                });
    }

    private static String conversation(Services services) {
        Agent agent = services.store().createAgent(TENANT, new Agent(Ids.newAgentId(), "retention", "local/extractive", 200_000,
                "Be brief.", "UTC", null, Instant.now()));
        String id = Ids.newConversationId();
        services.store().createConversation(TENANT, agent, id);
        return id;
    }

    private static void append(Services services, String id, int messages) {
        for (int from = 0; from < messages; from += 50) {
            services.store().append(TENANT, id, IntStream.range(from, Math.min(messages, from + 50))
                    .mapToObj(i -> Message.text(i % 2 == 0 ? Role.USER : Role.ASSISTANT, "turn " + i)).toList());
        }
    }

    private static long compact(Services services, String id) {
        return services.compaction().compact(TENANT, CompactionService.Target.conversation(id), null, "manual",
                Instant.now().plusSeconds(30)).committed().generation();
    }

    private List<Map<String, AttributeValue>> items(String id) {
        return local.partition(table, "T#" + TENANT + "#C#" + id);
    }

    private static SummaryRecord record(Services services, String id, long generation) {
        return services.store().compactions(TENANT, id, generation - 1, 1, true).get(0);
    }

    /** The sort keys stamped to expire; and no stamped item is in the context the head points at. */
    private List<String> stampedOutsideContext(Services services, String id) {
        ConversationHead head = services.store().findConversation(TENANT, id).orElseThrow();
        List<String> stamped = new ArrayList<>();
        for (Map<String, AttributeValue> item : items(id)) {
            if (!item.containsKey("expires_at")) {
                continue;
            }
            String sk = item.get("sk").s();
            stamped.add(sk);
            if (sk.startsWith("SUM#") || sk.contains("#S")) {
                assertThat(Long.parseLong(item.get("generation").n())).as(sk + " is the summary in context").isNotEqualTo(head.summaryGen());
            } else {
                long seq = Long.parseLong(sk.substring(4));
                assertThat(seq).as(sk + " is in context").isBetween(1L, head.contextStartSeq() - 1);
            }
        }
        return stamped;
    }

    @Test
    void retentionStampsOnlyHistoryNoContextAndNoAllowedRevertNeedsAndRefusesTheRevertsItRulesOut() {
        Services services = services();
        ApiHandler api = new ApiHandler(services);
        String id = conversation(services);
        append(services, id, 40);
        compact(services, id);
        assertThat(stampedOutsideContext(services, id)).as("the first compaction stays revertible: nothing released").isEmpty();
        append(services, id, 40);
        // From here on each compaction releases history (this one what generation 1 evicted), stamped when it commits.
        Instant stampedFrom = Instant.now();
        compact(services, id);
        append(services, id, 40);
        compact(services, id);

        // Released: everything below where reverting generation 3 would start the context (what generation 2 kept).
        long floor = record(services, id, 2).keptFromSeq();
        SummaryRecord first = record(services, id, 1);
        List<String> expected = new ArrayList<>(LongStream.range(1, floor).mapToObj(s -> String.format("MSG#%012d", s)).toList());
        expected.add(String.format("MSG#%012d#S%08d", first.coveredToSeq(), 1));
        expected.add("SUM#00000001");
        assertThat(stampedOutsideContext(services, id)).containsExactlyInAnyOrderElementsOf(expected);
        long expires = Long.parseLong(items(id).stream().filter(i -> i.containsKey("expires_at")).findFirst().orElseThrow()
                .get("expires_at").n());
        assertThat(expires).isBetween(stampedFrom.plus(Duration.ofDays(DAYS)).getEpochSecond() - 1,
                Instant.now().plus(Duration.ofDays(DAYS)).getEpochSecond() + 1);

        // The latest compaction can be undone, and what it brings back was never stamped.
        ApiResponse undone = revert(api, id, 3);
        assertThat(undone.status()).as(undone.body()).isEqualTo(200);
        assertThat(stampedOutsideContext(services, id)).hasSameSizeAs(expected);
        // Undoing generation 2 as well would bring back released messages: refused, nothing changed.
        List<Map<String, AttributeValue>> before = items(id);
        ApiResponse refused = revert(api, id, 2);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.body()).contains("history retention").contains("sequence " + floor);
        assertThat(items(id)).isEqualTo(before);
    }

    @Test
    void theCommitTransactionDoesNotGrowWithWhatItEvicts() {
        Services services = services();
        String small = conversation(services);
        append(services, small, 20);
        compact(services, small);
        append(services, small, 20);
        compact(services, small);
        String large = conversation(services);
        append(services, large, 400);
        compact(services, large);
        append(services, large, 400);
        compact(services, large);

        assertThat(commitSizes).hasSize(4).containsOnly(commitSizes.get(0));
        // The messages the first compaction evicted were released by the stamping that followed the second.
        long released = record(services, large, 1).keptFromSeq() - 1;
        assertThat(released).isGreaterThan(100);
        assertThat(stampedOutsideContext(services, large)).as("released after the commit").hasSize((int) released);
    }

    @Test
    void theApiHandsTheStampingToTheWorkerAfterItsCommit() throws Exception {
        try (ScriptedServer lambda = new ScriptedServer().then(json(202, ""))) {
            Map<String, String> vars = new HashMap<>(local.env(table).vars());
            vars.put(Env.COMPACTION_WORKER_FUNCTION, "worker");
            vars.put("AWS_ENDPOINT_URL_LAMBDA", lambda.uri().toString());
            Services services = services(vars);
            ApiHandler api = new ApiHandler(services);
            String id = conversation(services);
            for (int i = 0; i < 2; i++) {
                append(services, id, 40);
                ApiResponse compacted = api.handle(ApiEvents.of(TENANT, "POST", "/v1/conversations/{conversation_id}/compact")
                        .param("conversation_id", id).body(Map.of()), null, Instant.now().plusSeconds(20));
                assertThat(compacted.status()).as(compacted.body()).isEqualTo(200);
            }
            assertThat(items(id)).as("the request stamped nothing itself").noneMatch(item -> item.containsKey("expires_at"));
            List<ScriptedServer.Recorded> invocations = lambda.requests();
            assertThat(invocations).hasSize(2).allSatisfy(invoke -> assertThat(invoke.json())
                    .isEqualTo(Map.of("tenant", TENANT, "retention_conversation_id", id)));

            CompactionWorkerHandler.Report report = new CompactionWorkerHandler(services).handle(invocations.get(1).text(),
                    Instant.now().plusSeconds(60));

            assertThat(report.status()).isEqualTo("stamped");
            assertThat(stampedOutsideContext(services, id)).hasSize((int) (record(services, id, 1).keptFromSeq() - 1)).isNotEmpty();
        }
    }

    private static ApiResponse revert(ApiHandler api, String id, long generation) {
        return api.handle(ApiEvents.of(TENANT, "POST", "/v1/conversations/{conversation_id}/compactions/{generation}/revert")
                .param("conversation_id", id).param("generation", Long.toString(generation)).body(null), null, Instant.now().plusSeconds(20));
    }
}
