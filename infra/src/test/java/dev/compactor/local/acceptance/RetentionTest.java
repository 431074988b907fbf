package dev.compactor.local.acceptance;

import static dev.compactor.local.providers.ScriptedServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
 * History retention ({@code RETENTION_DAYS}, and an agent's own {@code message_retention_days})
 * against DynamoDB Local. DynamoDB Local does not run
 * TTL deletion, so these tests check what the stamping writes ({@code expires_at} on exactly the
 * items no context and no allowed revert can need) and that the commit transaction does not grow
 * with what it evicts. The summarizer is a stand-in.
 */
class RetentionTest {
    static final String TENANT = "local";
    static final int DAYS = 30;
    /** An agent's own retention, shorter than the deployment's so that the stamps tell which one decided. */
    static final int AGENT_DAYS = 7;

    private final TestDynamo local = TestDynamo.get();
    private final String table = local.newTable();
    /** Actions of each TransactWriteItems call that puts a summary record: the compaction commits. */
    private final List<Integer> commitSizes = new ArrayList<>();

    private Services services() {
        return services(DAYS);
    }

    /** @param deploymentDays {@code RETENTION_DAYS}, or null to leave it unset */
    private Services services(Integer deploymentDays) {
        Map<String, String> vars = new HashMap<>(local.env(table).vars());
        vars.remove(Env.COMPACTION_WORKER_FUNCTION);
        return services(vars, deploymentDays);
    }

    private Services services(Map<String, String> environment, Integer deploymentDays) {
        Map<String, String> vars = new HashMap<>(environment);
        if (deploymentDays != null) {
            vars.put(Env.RETENTION_DAYS, Integer.toString(deploymentDays));
        }
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
        return conversation(services, null);
    }

    /** @param agentDays the agent's own retention, or null for the deployment's */
    private static String conversation(Services services, Integer agentDays) {
        Agent agent = services.store().createAgent(TENANT, new Agent(Ids.newAgentId(), "retention", "local/extractive", 200_000,
                "Be brief.", "UTC", null, Instant.now(), null, agentDays));
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

    /** What three compactions release: everything below where reverting generation 3 would start the context. */
    private static List<String> releasedByThreeCompactions(Services services, String id) {
        long floor = record(services, id, 2).keptFromSeq();
        SummaryRecord first = record(services, id, 1);
        List<String> expected = new ArrayList<>(LongStream.range(1, floor).mapToObj(s -> String.format("MSG#%012d", s)).toList());
        expected.add(String.format("MSG#%012d#S%08d", first.coveredToSeq(), 1));
        expected.add("SUM#00000001");
        return expected;
    }

    /** Three rounds of 40 appended turns and a compaction; returns a time before anything was stamped (the second commit). */
    private static Instant compactThreeTimes(Services services, String id) {
        append(services, id, 40);
        compact(services, id);
        Instant stampedFrom = Instant.now();
        append(services, id, 40);
        compact(services, id);
        append(services, id, 40);
        compact(services, id);
        return stampedFrom;
    }

    /** Every item stamped expires {@code days} after it was stamped, some time between {@code from} and now. */
    private void assertExpiresAfter(String id, int days, Instant from) {
        List<Long> expires = items(id).stream().filter(i -> i.containsKey("expires_at")).map(i -> Long.parseLong(i.get("expires_at").n()))
                .toList();
        assertThat(expires).isNotEmpty().allSatisfy(e -> assertThat(e).isBetween(
                from.plus(Duration.ofDays(days)).getEpochSecond() - 1, Instant.now().plus(Duration.ofDays(days)).getEpochSecond() + 1));
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
        List<String> expected = releasedByThreeCompactions(services, id);
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
            Services services = withWorker(lambda, DAYS);
            ApiHandler api = new ApiHandler(services);
            String id = conversation(services);
            for (int i = 0; i < 2; i++) {
                appendAndCompactThroughTheApi(services, api, id);
            }
            assertThat(items(id)).as("the request stamped nothing itself").noneMatch(item -> item.containsKey("expires_at"));
            List<ScriptedServer.Recorded> invocations = lambda.requests();
            assertThat(invocations).hasSize(2).allSatisfy(invoke -> assertThat(invoke.json())
                    .isEqualTo(Map.of("tenant", TENANT, "retention_conversation_id", id, "retention_days", (long) DAYS)));

            CompactionWorkerHandler.Report report = new CompactionWorkerHandler(services).handle(invocations.get(1).text(),
                    Instant.now().plusSeconds(60));

            assertThat(report.status()).isEqualTo("stamped");
            assertThat(stampedOutsideContext(services, id)).hasSize((int) (record(services, id, 1).keptFromSeq() - 1)).isNotEmpty();
        }
    }

    @Test
    void anAgentsOwnRetentionStampsWithoutTheDeploymentSettingAndOnlyItsConversations() {
        Services services = services((Integer) null);
        String limited = conversation(services, AGENT_DAYS);
        String forGood = conversation(services);

        Instant stampedFrom = compactThreeTimes(services, limited);
        compactThreeTimes(services, forGood);

        assertThat(stampedOutsideContext(services, limited)).containsExactlyInAnyOrderElementsOf(releasedByThreeCompactions(services, limited));
        assertExpiresAfter(limited, AGENT_DAYS, stampedFrom);
        assertThat(stampedOutsideContext(services, forGood)).as("neither its agent nor the deployment limits it").isEmpty();
    }

    @Test
    void anAgentsOwnRetentionWinsOverTheDeployments() {
        Services services = services(DAYS);
        String own = conversation(services, AGENT_DAYS);
        String deployments = conversation(services);

        Instant ownFrom = compactThreeTimes(services, own);
        Instant deploymentFrom = compactThreeTimes(services, deployments);

        assertThat(stampedOutsideContext(services, own)).containsExactlyInAnyOrderElementsOf(releasedByThreeCompactions(services, own));
        assertExpiresAfter(own, AGENT_DAYS, ownFrom);
        assertExpiresAfter(deployments, DAYS, deploymentFrom);
    }

    @Test
    void clearingAnAgentsRetentionLeavesItsConversationsToTheDeployments() {
        Services withoutDeploymentDays = services((Integer) null);
        String id = conversation(withoutDeploymentDays, AGENT_DAYS);
        compactThreeTimes(withoutDeploymentDays, id);
        List<String> stampedWhileSet = stampedOutsideContext(withoutDeploymentDays, id);
        Agent agent = withoutDeploymentDays.store().findAgent(TENANT,
                withoutDeploymentDays.store().findConversation(TENANT, id).orElseThrow().agentId()).orElseThrow();
        Agent cleared = withoutDeploymentDays.store().updateAgent(TENANT, new Agent(agent.id(), agent.name(), agent.model(),
                agent.contextWindow(), agent.system(), agent.timezone(), agent.compactionSettings(), agent.createdAt(),
                agent.compactionThreshold(), null));
        assertThat(cleared.messageRetentionDays()).isNull();

        append(withoutDeploymentDays, id, 40);
        compact(withoutDeploymentDays, id);
        assertThat(stampedWhileSet).isNotEmpty();
        assertThat(record(withoutDeploymentDays, id, 3).keptFromSeq()).as("generation 3 evicted more, releasable now")
                .isGreaterThan(record(withoutDeploymentDays, id, 2).keptFromSeq());
        assertThat(stampedOutsideContext(withoutDeploymentDays, id)).as("kept for good once cleared")
                .containsExactlyInAnyOrderElementsOf(stampedWhileSet);

        Services withDeploymentDays = services(DAYS);
        Instant deploymentFrom = Instant.now();
        append(withDeploymentDays, id, 40);
        compact(withDeploymentDays, id);
        List<String> stamped = new ArrayList<>(stampedOutsideContext(withDeploymentDays, id));
        stamped.removeAll(stampedWhileSet);
        assertThat(stamped).as("released under the deployment's days").isNotEmpty();
        assertThat(items(id)).filteredOn(item -> stamped.contains(item.get("sk").s())).allSatisfy(item -> assertThat(
                Long.parseLong(item.get("expires_at").n())).isBetween(deploymentFrom.plus(Duration.ofDays(DAYS)).getEpochSecond() - 1,
                Instant.now().plus(Duration.ofDays(DAYS)).getEpochSecond() + 1));
    }

    @Test
    void theApiHandsTheWorkerTheAgentsOwnDaysAndNothingForAConversationKeptForGood() throws Exception {
        try (ScriptedServer lambda = new ScriptedServer().then(json(202, ""))) {
            Services services = withWorker(lambda, null);
            ApiHandler api = new ApiHandler(services);
            String limited = conversation(services, AGENT_DAYS);
            String forGood = conversation(services);
            Instant stampedFrom = Instant.now();
            for (int i = 0; i < 2; i++) {
                appendAndCompactThroughTheApi(services, api, limited);
                appendAndCompactThroughTheApi(services, api, forGood);
            }
            List<ScriptedServer.Recorded> invocations = lambda.requests();
            assertThat(invocations).hasSize(2).allSatisfy(invoke -> assertThat(invoke.json())
                    .isEqualTo(Map.of("tenant", TENANT, "retention_conversation_id", limited, "retention_days", (long) AGENT_DAYS)));

            CompactionWorkerHandler.Report report = new CompactionWorkerHandler(services).handle(invocations.get(1).text(),
                    Instant.now().plusSeconds(60));

            assertThat(report.status()).isEqualTo("stamped");
            assertThat(stampedOutsideContext(services, limited)).hasSize((int) (record(services, limited, 1).keptFromSeq() - 1));
            assertExpiresAfter(limited, AGENT_DAYS, stampedFrom);
            assertThat(stampedOutsideContext(services, forGood)).isEmpty();
            // An event naming no period, or one no agent could have, stamps nothing where the deployment keeps history.
            CompactionWorkerHandler worker = new CompactionWorkerHandler(services);
            for (String event : List.of("{\"tenant\": \"%s\", \"retention_conversation_id\": \"%s\"}",
                    "{\"tenant\": \"%s\", \"retention_conversation_id\": \"%s\", \"retention_days\": 0}")) {
                assertThat(worker.handle(event.formatted(TENANT, forGood), Instant.now().plusSeconds(60)).status()).isEqualTo("ignored");
            }
            assertThat(stampedOutsideContext(services, forGood)).isEmpty();
        }
    }

    @Test
    void aDeploymentRetentionBeyondWhatAnAgentMaySetIsRefusedAtStart() {
        assertThatThrownBy(() -> services(Agent.MAX_RETENTION_DAYS + 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("RETENTION_DAYS must be a whole number of days in [0, 36500]");
        assertThat(services(Agent.MAX_RETENTION_DAYS).retentionPolicy().deployment()).isEqualTo(Duration.ofDays(36_500));
    }

    /** Services of the API function, whose worker is {@code lambda}. */
    private Services withWorker(ScriptedServer lambda, Integer deploymentDays) {
        Map<String, String> vars = new HashMap<>(local.env(table).vars());
        vars.put(Env.COMPACTION_WORKER_FUNCTION, "worker");
        vars.put("AWS_ENDPOINT_URL_LAMBDA", lambda.uri().toString());
        return services(vars, deploymentDays);
    }

    private static void appendAndCompactThroughTheApi(Services services, ApiHandler api, String id) {
        append(services, id, 40);
        ApiResponse compacted = api.handle(ApiEvents.of(TENANT, "POST", "/v1/conversations/{conversation_id}/compact")
                .param("conversation_id", id).body(Map.of()), null, Instant.now().plusSeconds(20));
        assertThat(compacted.status()).as(compacted.body()).isEqualTo(200);
    }

    private static ApiResponse revert(ApiHandler api, String id, long generation) {
        return api.handle(ApiEvents.of(TENANT, "POST", "/v1/conversations/{conversation_id}/compactions/{generation}/revert")
                .param("conversation_id", id).param("generation", Long.toString(generation)).body(null), null, Instant.now().plusSeconds(20));
    }
}
