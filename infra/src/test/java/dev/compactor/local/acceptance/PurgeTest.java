package dev.compactor.local.acceptance;

import static dev.compactor.local.providers.ScriptedServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.compactor.api.ApiHandler;
import dev.compactor.api.ApiResponse;
import dev.compactor.api.CompactionWorkerHandler;
import dev.compactor.app.Services;
import dev.compactor.conversation.Agent;
import dev.compactor.conversation.Ids;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.Role;
import dev.compactor.llm.ModelHandle;
import dev.compactor.llm.Summarizer;
import dev.compactor.llm.SummaryResult;
import dev.compactor.llm.TokenUsage;
import dev.compactor.local.providers.ScriptedServer;
import dev.compactor.local.testing.ApiEvents;
import dev.compactor.local.testing.Latches;
import dev.compactor.local.testing.TestDynamo;
import dev.compactor.support.Env;
import dev.compactor.support.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * {@code DELETE /v1/conversations/{id}?purge=true} against DynamoDB Local through the real SDK:
 * what it deletes (and what it leaves: other conversations, usage records without text), writers
 * racing it, a crash in the middle, and the background path through the worker. The summarizer
 * is a stand-in (no model runs here); a DynamoDB client interceptor holds or breaks the purge's
 * BatchWriteItem calls where a test needs it.
 */
class PurgeTest {
    static final String TENANT = "local";
    static final String CONVERSATION = "/v1/conversations/{conversation_id}";
    /** Text only the purged conversation's messages hold, to find any copy of it left behind. */
    private final String secret = "secret-" + UUID.randomUUID();

    private final TestDynamo local = TestDynamo.get();
    private final String table = local.newTable();
    /** Summaries quote the secret when the purged conversation holds it, as a real summary would. */
    private final Function<ModelHandle, Summarizer> summarizers = handle -> request -> new SummaryResult(
            "the user discussed " + (request.toString().contains(secret) ? secret : "something else"), SummaryResult.LLM, handle,
            new TokenUsage(1200, 80, 0, 0), 40);
    private ScriptedServer lambda;

    @AfterEach
    void stop() {
        if (lambda != null) {
            lambda.close();
        }
    }

    /** The API function's environment without a worker (or with one at {@code lambda}), with {@code extra} laid over it. */
    private Env env(Map<String, String> extra) {
        Map<String, String> vars = new HashMap<>(local.env(table).vars());
        vars.remove(Env.COMPACTION_WORKER_FUNCTION);
        vars.putAll(extra);
        return new Env(vars);
    }

    private Services services(Map<String, String> extra, ExecutionInterceptor interceptor) {
        return local.services(env(extra), summarizers, interceptor);
    }

    private Services services() {
        return services(Map.of(), new ExecutionInterceptor() {});
    }

    private static ApiResponse send(ApiHandler api, String method, String resource, Function<ApiEvents, String> request) {
        return api.handle(request.apply(ApiEvents.of(TENANT, method, resource)), null, Instant.now().plusSeconds(25));
    }

    private static ApiResponse purge(ApiHandler api, String conversation) {
        return send(api, "DELETE", CONVERSATION, e -> e.param("conversation_id", conversation).query("purge", "true").body(null));
    }

    private static ApiResponse append(ApiHandler api, String conversation, String text) {
        return send(api, "POST", CONVERSATION + "/messages/append", e -> e.param("conversation_id", conversation)
                .body(Map.of("messages", List.of(Map.of("role", "user", "content", text)))));
    }

    private static ApiResponse compact(ApiHandler api, String conversation, String idempotencyKey) {
        return send(api, "POST", CONVERSATION + "/compact", e -> e.param("conversation_id", conversation)
                .header("Idempotency-Key", idempotencyKey).body(Map.of("compaction_settings", Map.of("mode", "all"))));
    }

    private static ApiResponse revert(ApiHandler api, String conversation, long generation) {
        return send(api, "POST", CONVERSATION + "/compactions/{generation}/revert", e -> e.param("conversation_id", conversation)
                .param("generation", Long.toString(generation)).body(null));
    }

    private static Map<String, Object> body(ApiResponse response) {
        return Json.parseObject(response.body());
    }

    /** A conversation of {@code messages} messages holding the secret, of a new agent. */
    private String conversation(Services services, int messages) {
        return conversation(services, Ids.newConversationId(), messages, secret);
    }

    /** Another conversation, whose text is not the secret. */
    private String other(Services services, int messages) {
        return conversation(services, Ids.newConversationId(), messages, "another topic");
    }

    private String conversation(Services services, String id, int messages, String topic) {
        Agent agent = services.store().createAgent(TENANT, new Agent(Ids.newAgentId(), "purge", "local/extractive", 200_000,
                "Be brief.", "UTC", null, Instant.now()));
        services.store().createConversation(TENANT, agent, id);
        for (int from = 0; from < messages; from += 50) {
            services.store().append(TENANT, id, IntStream.range(from, Math.min(messages, from + 50))
                    .mapToObj(i -> Message.text(i % 2 == 0 ? Role.USER : Role.ASSISTANT, "turn " + i + " about " + topic)).toList());
        }
        return id;
    }

    private List<Map<String, AttributeValue>> partition(String pk) {
        return local.partition(table, pk);
    }

    private static String pk(String conversation) {
        return "T#" + TENANT + "#C#" + conversation;
    }

    /** The records in other partitions the conversation references (Idempotency-Key answers, jobs). */
    private List<String> referenced(String conversation) {
        return partition(pk(conversation)).stream().filter(item -> item.get("sk").s().startsWith("REF#"))
                .map(item -> item.get("target_pk").s()).toList();
    }

    private List<Map<String, AttributeValue>> scan() {
        try (DynamoDbClient client = local.dynamo.client()) {
            List<Map<String, AttributeValue>> items = new ArrayList<>();
            client.scanPaginator(r -> r.tableName(table).consistentRead(true)).items().forEach(items::add);
            return items;
        }
    }

    /**
     * Nothing of the conversation is left but its purge receipt and the usage records, and no
     * item anywhere holds its text; {@code others} keep every item they had.
     */
    private void assertPurged(String conversation, List<String> referencedBefore, Map<String, List<Map<String, AttributeValue>>> others) {
        assertThat(partition(pk(conversation))).isEmpty();
        for (String target : referencedBefore) {
            assertThat(partition(target)).as("referenced record " + target).isEmpty();
        }
        List<Map<String, AttributeValue>> all = scan();
        assertThat(all).filteredOn(item -> item.toString().contains(secret)).as("items holding the conversation's text").isEmpty();
        assertThat(all).filteredOn(item -> item.toString().contains(conversation)).allSatisfy(item ->
                assertThat(item.get("pk").s()).matches("T#" + TENANT + "#[UP]#.*"));
        others.forEach((pk, items) -> assertThat(partition(pk)).as("another conversation").isEqualTo(items));
    }

    @Test
    void aPurgeDeletesTheConversationItsKeysAndJobsAndKeepsUsageWithoutText() throws Exception {
        lambda = new ScriptedServer().then(json(202, ""));
        Services services = services(Map.of(Env.COMPACTION_WORKER_FUNCTION, "worker", "AWS_ENDPOINT_URL_LAMBDA", lambda.uri().toString()),
                new ExecutionInterceptor() {});
        ApiHandler api = new ApiHandler(services);
        String purged = conversation(services, 30);
        String other = other(services, 30);
        assertThat(compact(api, purged, "key-1").status()).isEqualTo(200);
        assertThat(compact(api, other, "key-2").status()).isEqualTo(200);
        assertThat(append(api, purged, "one more about " + secret).status()).isEqualTo(200);
        ApiResponse queued = send(api, "POST", CONVERSATION + "/compact", e -> e.param("conversation_id", purged)
                .header("Prefer", "respond-async").header("Idempotency-Key", "key-3").body(Map.of()));
        assertThat(queued.status()).as(queued.body()).isEqualTo(202);
        List<String> references = referenced(purged);
        assertThat(references).as("two Idempotency-Keys and a job").hasSize(3);
        Map<String, List<Map<String, AttributeValue>>> others = Map.of(pk(other), partition(pk(other)));
        List<Map<String, AttributeValue>> usage = partition("T#" + TENANT + "#U#" + Instant.now().toString().substring(0, 7));

        ApiResponse done = purge(api, purged);

        assertThat(done.status()).as(done.body()).isEqualTo(200);
        assertThat(body(done)).containsEntry("conversation_id", purged).containsEntry("status", "purged")
                .containsEntry("items_at_start", 32L + 2)
                // messages (the system one too), the summary's record and marker, three references and their records, the head
                .containsEntry("items_deleted", 32L + 2 + 3 + 3 + 1);
        assertPurged(purged, references, others);
        assertThat(partition("T#" + TENANT + "#U#" + Instant.now().toString().substring(0, 7))).as("usage stays").isEqualTo(usage)
                .anySatisfy(item -> assertThat(item.get("conversation_id").s()).isEqualTo(purged));
        assertThat(send(api, "GET", CONVERSATION, e -> e.param("conversation_id", purged).body(null)).status()).isEqualTo(404);
        assertThat(append(api, purged, "after").status()).isEqualTo(404);
        assertThat(partition(pk(purged))).as("a refused append writes nothing").isEmpty();
        // DELETE again (a client's retry) answers with the receipt; so does the poll.
        assertThat(body(purge(api, purged))).containsEntry("status", "purged");
        assertThat(body(send(api, "GET", CONVERSATION + "/purge", e -> e.param("conversation_id", purged).body(null))))
                .containsEntry("status", "purged");
        // The queued job's worker finds nothing to run.
        assertThat(new CompactionWorkerHandler(services).handle(lambda.only().text(), Instant.now().plusSeconds(30)).status())
                .isEqualTo("not_claimed");
        assertThat(partition(pk(purged))).isEmpty();
    }

    @Test
    void invalidPurgeRequestsChangeNothing() {
        Services services = services();
        ApiHandler api = new ApiHandler(services);
        String id = conversation(services, 4);
        List<Map<String, AttributeValue>> before = partition(pk(id));

        ApiResponse notBool = send(api, "DELETE", CONVERSATION, e -> e.param("conversation_id", id).query("purge", "maybe").body(null));
        ApiResponse badId = send(api, "DELETE", CONVERSATION, e -> e.param("conversation_id", "conv-nope").query("purge", "true").body(null));
        ApiResponse unknown = purge(api, Ids.newConversationId());
        ApiResponse noReceipt = send(api, "GET", CONVERSATION + "/purge", e -> e.param("conversation_id", id).body(null));

        assertThat(notBool.status()).isEqualTo(422);
        assertThat(notBool.body()).contains("bool_parsing");
        assertThat(badId.status()).isEqualTo(422);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(noReceipt.status()).isEqualTo(404);
        assertThat(partition(pk(id))).isEqualTo(before);
    }

    @Test
    void aSoftDeletedConversationIsPurgedToo() {
        Services services = services();
        ApiHandler api = new ApiHandler(services);
        String id = conversation(services, 12);
        // Letta's soft delete marks the head and leaves the rest.
        try (DynamoDbClient client = local.dynamo.client()) {
            client.updateItem(r -> r.tableName(table).key(Map.of("pk", AttributeValue.fromS(pk(id)), "sk", AttributeValue.fromS("HEAD")))
                    .updateExpression("SET deleted_at = :now").expressionAttributeValues(Map.of(":now", AttributeValue.fromS(
                            Instant.now().toString()))));
        }

        ApiResponse purged = purge(api, id);

        assertThat(purged.status()).as(purged.body()).isEqualTo(200);
        assertThat(partition(pk(id))).isEmpty();
    }

    /** Fails every BatchWriteItem from the {@code failFrom}-th on, as a crash of the purging process would stop it there. */
    private static ExecutionInterceptor crashAtBatch(int failFrom, AtomicInteger batches) {
        return new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof BatchWriteItemRequest && batches.incrementAndGet() >= failFrom) {
                    throw new IllegalStateException("injected crash");
                }
            }
        };
    }

    @Test
    void aPurgeInterruptedAfterTwoBatchesLeavesATombstoneAndResumesWhenAskedAgain() {
        Services services = services();
        ApiHandler api = new ApiHandler(services);
        String id = conversation(services, 150);
        assertThat(compact(api, id, "key-1").status()).isEqualTo(200);
        String other = other(services, 10);
        List<String> references = referenced(id);
        Map<String, List<Map<String, AttributeValue>>> others = Map.of(pk(other), partition(pk(other)));
        AtomicInteger batches = new AtomicInteger();
        ApiHandler crashing = new ApiHandler(services(Map.of(), crashAtBatch(3, batches)));

        ApiResponse crashed = purge(crashing, id);

        assertThat(crashed.status()).isEqualTo(500);
        assertThat(batches.get()).isEqualTo(3);
        int left = partition(pk(id)).size();
        assertThat(left).as("two batches of 25 went before the crash").isEqualTo(150 + 1 + 2 + 1 + 1 - 50);
        Map<String, Object> receipt = body(send(api, "GET", CONVERSATION + "/purge", e -> e.param("conversation_id", id).body(null)));
        assertThat(receipt).containsEntry("status", "purging").containsEntry("finished_at", null);
        // The tombstone holds: the conversation reads as gone, and nothing can be written to it.
        assertThat(send(api, "GET", CONVERSATION, e -> e.param("conversation_id", id).body(null)).status()).isEqualTo(404);
        assertThat(append(api, id, "after the crash").status()).isEqualTo(404);
        assertThat(compact(api, id, "key-2").status()).isEqualTo(404);
        assertThat(revert(api, id, 1).status()).isEqualTo(404);
        assertThat(partition(pk(id))).hasSize(left);

        ApiResponse resumed = purge(api, id);

        assertThat(resumed.status()).as(resumed.body()).isEqualTo(200);
        assertThat(body(resumed)).containsEntry("status", "purged").containsEntry("started_at", receipt.get("started_at"));
        assertPurged(id, references, others);
    }

    @Test
    void aLargeConversationIsPurgedInTheBackgroundAndPolledToItsEnd() throws Exception {
        lambda = new ScriptedServer().then(json(202, ""));
        Map<String, String> deployment = Map.of(Env.COMPACTION_WORKER_FUNCTION, "worker",
                "AWS_ENDPOINT_URL_LAMBDA", lambda.uri().toString(), Env.PURGE_INLINE_MAX_ITEMS, "20");
        Services services = services(deployment, new ExecutionInterceptor() {});
        ApiHandler api = new ApiHandler(services);
        String small = conversation(services, 10);
        String large = conversation(services, 120);

        assertThat(purge(api, small).status()).as("at most 20 items: inline").isEqualTo(200);
        ApiResponse accepted = purge(api, large);

        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        assertThat(accepted.headers()).containsEntry("Location", "/v1/conversations/" + large + "/purge");
        assertThat(body(accepted)).containsEntry("status", "purging").containsEntry("items_at_start", 121L)
                .containsEntry("items_deleted", 0L);
        ScriptedServer.Recorded invoke = lambda.only();
        assertThat(invoke.json()).isEqualTo(Map.of("tenant", TENANT, "purge_conversation_id", large));
        assertThat(send(api, "GET", CONVERSATION, e -> e.param("conversation_id", large).body(null)).status()).isEqualTo(404);
        assertThat(body(send(api, "GET", CONVERSATION + "/purge", e -> e.param("conversation_id", large).body(null))))
                .containsEntry("status", "purging");

        // The worker crashes after a batch; Lambda delivers the event again and the next run finishes.
        CompactionWorkerHandler crashing = new CompactionWorkerHandler(services(deployment, crashAtBatch(2, new AtomicInteger())));
        assertThatThrownBy(() -> crashing.handle(invoke.text(), Instant.now().plusSeconds(60))).hasMessageContaining("injected crash");
        assertThat(partition(pk(large))).hasSize(121 + 1 - 25);
        CompactionWorkerHandler.Report report = new CompactionWorkerHandler(services).handle(invoke.text(), Instant.now().plusSeconds(60));

        assertThat(report.status()).isEqualTo("purged");
        Map<String, Object> done = body(send(api, "GET", CONVERSATION + "/purge", e -> e.param("conversation_id", large).body(null)));
        assertThat(done).containsEntry("status", "purged");
        // Counted per page: the crashed run's batch of 25 went uncounted.
        assertThat((Long) done.get("items_deleted")).isBetween(121L + 1 - 25, 121L + 1);
        assertThat(done.get("finished_at")).isNotNull();
        assertThat(partition(pk(large))).isEmpty();
        assertThat(new CompactionWorkerHandler(services).handle(invoke.text(), Instant.now().plusSeconds(60)).status())
                .as("a later redelivery").isEqualTo("purged");
    }

    /**
     * Holds the first write of a kind (an append's or a commit's TransactWriteItems, a revert's
     * UpdateItem) after the head was read, until the purge's tombstone is down.
     */
    private static ExecutionInterceptor holdWrite(Class<?> kind, CountDownLatch read, CountDownLatch tombstoned) {
        AtomicBoolean first = new AtomicBoolean(true);
        return new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (kind.isInstance(context.request()) && first.compareAndSet(true, false)) {
                    read.countDown();
                    Latches.await(tombstoned);
                }
            }
        };
    }

    @Test
    void writesThatReadTheHeadBeforeTheTombstoneCannotCommitAfterIt() throws Exception {
        Services services = services();
        ApiHandler api = new ApiHandler(services);
        String id = conversation(services, 20);
        assertThat(compact(api, id, "first").status()).isEqualTo(200);
        append(api, id, "more about " + secret);
        List<Map<String, AttributeValue>> before = partition(pk(id));
        CountDownLatch read = new CountDownLatch(3);
        CountDownLatch tombstoned = new CountDownLatch(1);
        ApiHandler appender = new ApiHandler(services(Map.of(), holdWrite(
                TransactWriteItemsRequest.class, read, tombstoned)));
        ApiHandler compactor = new ApiHandler(services(Map.of(), holdWrite(
                TransactWriteItemsRequest.class, read, tombstoned)));
        ApiHandler reverter = new ApiHandler(services(Map.of(), holdWrite(
                UpdateItemRequest.class, read, tombstoned)));
        ExecutorService pool = Executors.newFixedThreadPool(3);
        Future<ApiResponse> appended = pool.submit(() -> append(appender, id, "racing " + secret));
        Future<ApiResponse> compacted = pool.submit(() -> compact(compactor, id, "second"));
        Future<ApiResponse> reverted = pool.submit(() -> revert(reverter, id, 1));
        Latches.await(read);

        services.purges().begin(TENANT, id);
        tombstoned.countDown();

        assertThat(appended.get(1, TimeUnit.MINUTES).status()).isEqualTo(404);
        assertThat(compacted.get(1, TimeUnit.MINUTES).status()).isEqualTo(404);
        assertThat(reverted.get(1, TimeUnit.MINUTES).status()).isEqualTo(404);
        pool.shutdown();
        assertThat(partition(pk(id))).as("nothing but the tombstone changed").hasSameSizeAs(before)
                .allSatisfy(item -> assertThat(before).anySatisfy(b -> assertThat(b.get("sk")).isEqualTo(item.get("sk"))));
        assertThat(purge(api, id).status()).isEqualTo(200);
        assertThat(partition(pk(id))).isEmpty();
    }

    /** One call a racing thread made: whether it began after the purge's tombstone, and its status. */
    record Call(boolean afterTombstone, int status) {}

    @Test
    void aPurgeRacingAppendsCompactionsAndRevertsLeavesNothingAndEveryCallAfterItsTombstoneIs404Or409() throws Exception {
        int racers = 6;
        CountDownLatch warmedUp = new CountDownLatch(racers);
        CountDownLatch tombstoned = new CountDownLatch(1);
        CountDownLatch racersSawTombstone = new CountDownLatch(racers);
        AtomicBoolean purgeDone = new AtomicBoolean();
        AtomicBoolean firstBatch = new AtomicBoolean(true);
        String id = Ids.newConversationId();
        AtomicReference<List<String>> references = new AtomicReference<>();
        // The purge's first batch starts after its tombstone committed; it waits there until every
        // racer has completed a call that began after the tombstone, so the purge and the racers overlap.
        ExecutionInterceptor holdFirstBatch = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof BatchWriteItemRequest && firstBatch.compareAndSet(true, false)) {
                    // Nothing deleted yet, and nothing can be added any more: every record the conversation references.
                    references.set(referenced(id));
                    tombstoned.countDown();
                    Latches.await(racersSawTombstone);
                }
            }
        };
        Services services = services();
        ApiHandler api = new ApiHandler(services);
        ApiHandler purger = new ApiHandler(services(Map.of(), holdFirstBatch));
        conversation(services, id, 20, secret);
        assertThat(compact(api, id, "warm-up").status()).isEqualTo(200);
        String other = other(services, 10);
        Map<String, List<Map<String, AttributeValue>>> others = Map.of(pk(other), partition(pk(other)));

        AtomicInteger keys = new AtomicInteger();
        List<Supplier<ApiResponse>> operations = new ArrayList<>();
        for (int a = 0; a < 4; a++) {
            operations.add(() -> append(api, id, "racing turn about " + secret));
        }
        operations.add(() -> compact(api, id, "racing-" + keys.incrementAndGet()));
        operations.add(() -> revert(api, id, 1));
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        List<Future<List<Call>>> futures = new ArrayList<>();
        for (Supplier<ApiResponse> operation : operations) {
            futures.add(pool.submit((Callable<List<Call>>) () -> {
                List<Call> calls = new ArrayList<>();
                boolean sawTombstone = false;
                while (!purgeDone.get()) {
                    boolean after = tombstoned.getCount() == 0;
                    calls.add(new Call(after, operation.get().status()));
                    if (calls.size() == 1) {
                        warmedUp.countDown();
                    }
                    if (after && !sawTombstone) {
                        sawTombstone = true;
                        racersSawTombstone.countDown();
                    }
                }
                return calls;
            }));
        }
        Latches.await(warmedUp);

        ApiResponse purged = purge(purger, id);
        purgeDone.set(true);
        List<Call> calls = new ArrayList<>();
        for (Future<List<Call>> f : futures) {
            List<Call> racer = f.get(2, TimeUnit.MINUTES);
            assertThat(racer).as("every racer called after the tombstone").anyMatch(Call::afterTombstone);
            calls.addAll(racer);
        }
        pool.shutdown();

        assertThat(purged.status()).as(purged.body()).isEqualTo(200);
        assertThat(calls).filteredOn(c -> !c.afterTombstone()).as("calls before the purge").extracting(Call::status)
                .contains(200);
        assertThat(calls).filteredOn(Call::afterTombstone).extracting(Call::status).allMatch(s -> s == 404 || s == 409);
        assertThat(references.get()).as("Idempotency-Keys of compactions").isNotEmpty();
        assertPurged(id, references.get(), others);
    }
}
