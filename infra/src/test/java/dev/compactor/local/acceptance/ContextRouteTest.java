package dev.compactor.local.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.api.ApiHandler;
import dev.compactor.api.ApiResponse;
import dev.compactor.app.Services;
import dev.compactor.conversation.Agent;
import dev.compactor.conversation.ConversationHead;
import dev.compactor.conversation.Ids;
import dev.compactor.conversation.Snapshot;
import dev.compactor.llm.SummaryResult;
import dev.compactor.llm.TokenUsage;
import dev.compactor.llm.render.ContextParts;
import dev.compactor.llm.render.NativeContext;
import dev.compactor.local.testing.ApiEvents;
import dev.compactor.local.testing.TestDynamo;
import dev.compactor.support.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * {@code GET …/context} and the append answer's figures, through the real handler and DynamoDB
 * Local, with every DynamoDB call the handler makes recorded (request and response), so the tests
 * can say exactly what each request read.
 */
class ContextRouteTest {
    private static final String TENANT = "acme";
    private static final String SUMMARY = "The user asked about the weather in Paris; the assistant looked it up.";
    private static final int WINDOW = 4000;

    private final TestDynamo local = TestDynamo.get();
    private final String table = local.newTable();
    private final Recorder recorder = new Recorder();
    private final Services services = local.services(table, handle -> request -> new SummaryResult(SUMMARY, SummaryResult.LLM, handle,
            TokenUsage.NONE, 1), recorder);
    private final ApiHandler handler = new ApiHandler(services);
    private final Agent agent = services.store().createAgent(TENANT, new Agent(Ids.newAgentId(), "ctx", "local/extractive", WINDOW,
            "You are terse.", "UTC", null, Instant.now()));
    private final String conversationId = Ids.newConversationId();

    ContextRouteTest() {
        services.store().createConversation(TENANT, agent, conversationId);
    }

    /** Every DynamoDB call: what was asked and what came back. */
    static final class Recorder implements ExecutionInterceptor {
        record Call(SdkRequest request, SdkResponse response) {}

        private final List<Call> calls = new ArrayList<>();
        /** Runs once, before the next transaction is sent. */
        private Runnable beforeNextTransaction;
        /** When set, each BatchGetItem and Query waits here until the other has started too. */
        private CountDownLatch rendezvous;
        private final List<Boolean> metAtRendezvous = new ArrayList<>();
        /** When set, rewrites the response of the next eventually consistent read it matches, once: a lagging replica. */
        private Function<SdkResponse, SdkResponse> staleReplica;
        /** Runs once, before the next read of a conversation's head is sent. */
        private Runnable beforeNextHeadRead;
        /** When set, counted down as each Query is answered. */
        private CountDownLatch queryAnswered;

        synchronized List<Call> drain() {
            List<Call> out = List.copyOf(calls);
            calls.clear();
            return out;
        }

        synchronized void meetAtRendezvous() {
            rendezvous = new CountDownLatch(2);
            metAtRendezvous.clear();
        }

        synchronized List<Boolean> metAtRendezvous() {
            return List.copyOf(metAtRendezvous);
        }

        synchronized void lagOnce(Function<SdkResponse, SdkResponse> stale) {
            staleReplica = stale;
        }

        synchronized void beforeNextHeadRead(Runnable hook) {
            beforeNextHeadRead = hook;
        }

        /** A latch the next Query's answer counts down. */
        synchronized CountDownLatch nextQueryAnswered() {
            queryAnswered = new CountDownLatch(1);
            return queryAnswered;
        }

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            Runnable hook;
            CountDownLatch meet;
            synchronized (this) {
                hook = context.request() instanceof TransactWriteItemsRequest ? beforeNextTransaction : null;
                if (hook != null) {
                    beforeNextTransaction = null;
                }
                if (context.request() instanceof GetItemRequest r && r.key().get("sk").s().equals("HEAD") && beforeNextHeadRead != null) {
                    hook = beforeNextHeadRead;
                    beforeNextHeadRead = null;
                }
                meet = context.request() instanceof BatchGetItemRequest || context.request() instanceof QueryRequest ? rendezvous : null;
            }
            if (hook != null) {
                hook.run();
            }
            if (meet != null) {
                meet.countDown();
                boolean met;
                try {
                    met = meet.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    met = false;
                }
                synchronized (this) {
                    metAtRendezvous.add(met);
                }
            }
        }

        @Override
        public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
            boolean eventual = switch (context.request()) {
                case QueryRequest r -> Boolean.FALSE.equals(r.consistentRead());
                case BatchGetItemRequest r -> r.requestItems().values().stream().anyMatch(k -> Boolean.FALSE.equals(k.consistentRead()));
                default -> false;
            };
            synchronized (this) {
                if (!eventual || staleReplica == null) {
                    return context.response();
                }
                SdkResponse stale = staleReplica.apply(context.response());
                if (stale != context.response()) {
                    staleReplica = null;
                }
                return stale;
            }
        }

        @Override
        public synchronized void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            calls.add(new Call(context.request(), context.response()));
            if (context.request() instanceof QueryRequest && queryAnswered != null) {
                queryAnswered.countDown();
            }
        }
    }

    private ApiResponse append(String conversation, List<Map<String, Object>> messages) {
        return handler.handle(ApiEvents.of(TENANT, "POST", "/v1/conversations/{conversation_id}/messages/append")
                .param("conversation_id", conversation).body(Map.of("messages", messages)), null, Instant.now().plusSeconds(20));
    }

    private ApiResponse context(String pathId, Map<String, String> query, Map<String, String> headers) {
        ApiEvents event = ApiEvents.of(TENANT, "GET", "/v1/conversations/{conversation_id}/context").param("conversation_id", pathId);
        query.forEach(event::query);
        headers.forEach(event::header);
        return handler.handle(event.body(null), null, Instant.now().plusSeconds(20));
    }

    private ApiResponse context() {
        return context(conversationId, Map.of(), Map.of());
    }

    /** The API in another container: its own store, which has read nothing yet. */
    private ApiHandler elsewhere() {
        return new ApiHandler(local.services(table, handle -> request -> new SummaryResult(SUMMARY, SummaryResult.LLM, handle,
                TokenUsage.NONE, 1)));
    }

    /** The context as a container that never read it answers it: what every read must answer. */
    private Map<String, Object> coldContext() {
        ApiResponse response = elsewhere().handle(ApiEvents.of(TENANT, "GET", "/v1/conversations/{conversation_id}/context")
                .param("conversation_id", conversationId).body(null), null, Instant.now().plusSeconds(20));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return Json.parseObject(response.body());
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).as("the latch was counted down").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private ApiResponse compact() {
        ApiResponse response = handler.handle(ApiEvents.of(TENANT, "POST", "/v1/conversations/{conversation_id}/compact")
                .param("conversation_id", conversationId).body(Map.of("compaction_settings", Map.of("mode", "sliding_window"))),
                null, Instant.now().plusSeconds(20));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response;
    }

    private ConversationHead head() {
        return services.store().findConversation(TENANT, conversationId).orElseThrow();
    }

    private static Map<String, Object> user(String text) {
        return Map.of("role", "user", "content", text);
    }

    private static Map<String, Object> assistant(String text) {
        return Map.of("role", "assistant", "content", text);
    }

    /** A user turn, an assistant tool call, its result, and the assistant's answer. */
    private static List<Map<String, Object>> toolExchange(int round) {
        String call = "call_" + round;
        return List.of(user("What is the weather in Paris, round " + round + "?"),
                Map.of("role", "assistant", "content", "Checking.", "tool_calls", List.of(Map.of("id", call, "type", "function",
                        "function", Map.of("name", "weather", "arguments", "{\"city\":\"Paris\"}")))),
                Map.of("role", "tool", "tool_call_id", call, "content", "{\"status\":\"OK\",\"message\":\"18C, clear\"}"),
                assistant("It is 18C and clear in Paris (round " + round + ")."));
    }

    /** Six tool exchanges, compacted once by sliding window, then a pending approval request. */
    private void conversationWithSummaryAndPendingApproval() {
        for (int round = 1; round <= 6; round++) {
            assertThat(append(conversationId, toolExchange(round)).status()).isEqualTo(200);
        }
        compact();
        assertThat(append(conversationId, List.of(user("Book me a table."), Map.of("role", "approval", "tool_calls",
                List.of(Map.of("id", "call_book", "type", "function", "function", Map.of("name", "book", "arguments", "{}"))))))
                .status()).isEqualTo(200);
    }

    private static List<String> sortKeys(List<Map<String, AttributeValue>> items) {
        return items.stream().map(i -> i.get("sk").s()).toList();
    }

    /** The sort keys of every item any of these calls returned. */
    private static List<String> itemsRead(List<Recorder.Call> calls) {
        List<String> keys = new ArrayList<>();
        for (Recorder.Call call : calls) {
            switch (call.response()) {
                case GetItemResponse r -> keys.addAll(r.hasItem() ? sortKeys(List.of(r.item())) : List.of());
                case BatchGetItemResponse r -> r.responses().values().forEach(items -> keys.addAll(sortKeys(items)));
                case QueryResponse r -> keys.addAll(sortKeys(r.items()));
                default -> { }
            }
        }
        return keys;
    }

    @Test
    void lettaFormatIsSystemThenSummaryThenTheKeptMessagesWithToolExchangesAndAPendingApproval() {
        conversationWithSummaryAndPendingApproval();
        Map<String, Object> conversation = Json.parseObject(handler.handle(ApiEvents.of(TENANT, "GET",
                "/v1/conversations/{conversation_id}").param("conversation_id", conversationId).body(null), null,
                Instant.now().plusSeconds(20)).body());

        ApiResponse response = context();

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        Map<String, Object> body = Json.parseObject(response.body());
        ConversationHead head = head();
        assertThat(body).containsEntry("conversation_id", conversationId).containsEntry("agent_id", agent.id())
                .containsEntry("format", "letta").containsEntry("generation", 1L)
                .containsEntry("context_token_estimate", head.contextTokens()).containsEntry("context_window", (long) WINDOW)
                .containsEntry("due_threshold", head.dueThreshold()).containsEntry("due", false);
        assertThat(head.dueThreshold()).isPositive().isLessThan(WINDOW);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> messages = (List<Map<String, Object>>) body.get("messages");
        // One stored message may render as several entries sharing its id; the ids in order are the context's.
        List<Object> ids = messages.stream().map(m -> m.get("id")).distinct().toList();
        assertThat(ids).isEqualTo(conversation.get("in_context_message_ids"));
        assertThat(messages.get(0)).containsEntry("message_type", "system_message").containsEntry("content", "You are terse.");
        assertThat(messages.get(1).toString()).as("the summary, right after system").contains(SUMMARY);
        assertThat(messages.get(messages.size() - 1)).containsEntry("message_type", "approval_request_message");
        assertThat(messages).extracting(m -> m.get("message_type")).contains("tool_call_message", "tool_return_message");
        assertThat(ids.size()).as("the sliding window evicted the oldest messages").isLessThan(1 + 6 * 4 + 2);
        assertThat(messages.toString()).doesNotContain("round 1?");
        assertThat(response.headers()).containsEntry("ETag", "\"1." + (head.nextSeq() - 1) + "." + WINDOW + "." + head.dueThreshold() + "\"");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(Object list) {
        return (List<Map<String, Object>>) list;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    private Map<String, Object> request(String format) {
        ApiResponse response = context(conversationId, Map.of("format", format), Map.of());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        Map<String, Object> body = Json.parseObject(response.body());
        assertThat(body).containsEntry("format", format).containsEntry("generation", 1L).doesNotContainKey("messages");
        Snapshot stored = services.store().snapshot(TENANT, conversationId);
        Object expected = switch (format) {
            case "openai" -> NativeContext.openAi(ContextParts.of(stored));
            case "anthropic" -> NativeContext.anthropic(ContextParts.of(stored));
            case "bedrock" -> NativeContext.bedrock(ContextParts.of(stored));
            default -> NativeContext.gemini(ContextParts.of(stored));
        };
        assertThat(body.get("request")).as("the renderer's own output for the stored context").isEqualTo(Json.parseObject(Json.write(expected)));
        return body;
    }

    /**
     * Turns as Anthropic, Converse and Gemini require them: strictly alternating, the first the
     * user's, and every result in the turn right after the assistant turn that made its call, which
     * has no call left unanswered.
     */
    private static void assertAlternatingAndPaired(List<Map<String, Object>> turns, String contentKey, String assistantRole,
                                                   Function<Map<String, Object>, String> callId,
                                                   Function<Map<String, Object>, String> resultId) {
        assertThat(turns).isNotEmpty();
        assertThat(turns.get(0)).containsEntry("role", "user");
        for (int i = 0; i < turns.size(); i++) {
            assertThat(turns.get(i).get("role")).isEqualTo(i % 2 == 0 ? "user" : assistantRole);
            List<String> calls = maps(turns.get(i).get(contentKey)).stream().map(callId).filter(Objects::nonNull).toList();
            List<String> answered = i + 1 < turns.size()
                    ? maps(turns.get(i + 1).get(contentKey)).stream().map(resultId).filter(Objects::nonNull).toList() : List.of();
            assertThat(answered).as("results answer the calls of the turn before").containsExactlyInAnyOrderElementsOf(calls);
            if (i == 0) {
                assertThat(maps(turns.get(0).get(contentKey)).stream().map(resultId).filter(Objects::nonNull)).isEmpty();
            }
        }
    }

    @Test
    void vendorFormatsAreTheNativeRenderingOfTheContextInEachVendorsRules() {
        conversationWithSummaryAndPendingApproval();

        Map<String, Object> openai = request("openai");
        List<Map<String, Object>> chat = maps(map(openai.get("request")).get("messages"));
        assertThat(map(openai.get("request"))).containsOnlyKeys("messages");
        assertThat(chat.get(0)).containsEntry("role", "system").containsEntry("content", "You are terse.");
        assertThat(chat.get(1)).containsEntry("role", "user");
        assertThat((String) chat.get(1).get("content")).contains(SUMMARY);
        for (int i = 0; i < chat.size(); i++) {
            if (chat.get(i).get("tool_calls") != null) {
                List<Object> ids = maps(chat.get(i).get("tool_calls")).stream().map(c -> c.get("id")).toList();
                List<Object> answers = chat.subList(i + 1, Math.min(chat.size(), i + 1 + ids.size())).stream()
                        .filter(m -> "tool".equals(m.get("role"))).map(m -> m.get("tool_call_id")).toList();
                assertThat(answers).as("tool messages right after the call").containsExactlyElementsOf(ids);
            }
        }
        assertThat(chat).filteredOn(m -> "tool".equals(m.get("role"))).isNotEmpty();
        assertThat(Json.write(chat)).as("the pending approval's call has no result yet").doesNotContain("call_book");

        Map<String, Object> anthropic = request("anthropic");
        assertThat(anthropic).containsEntry("tool_names", List.of("weather"));
        assertThat(map(anthropic.get("request"))).containsOnlyKeys("system", "messages");
        assertThat(maps(map(anthropic.get("request")).get("system"))).containsExactly(Map.of("type", "text", "text", "You are terse."));
        assertAlternatingAndPaired(maps(map(anthropic.get("request")).get("messages")), "content", "assistant",
                b -> "tool_use".equals(b.get("type")) ? (String) b.get("id") : null,
                b -> "tool_result".equals(b.get("type")) ? (String) b.get("tool_use_id") : null);

        Map<String, Object> bedrock = request("bedrock");
        assertThat(bedrock).containsEntry("tool_names", List.of("weather"));
        assertThat(map(bedrock.get("request"))).containsOnlyKeys("system", "messages");
        assertThat(maps(map(bedrock.get("request")).get("system"))).containsExactly(Map.of("text", "You are terse."));
        assertAlternatingAndPaired(maps(map(bedrock.get("request")).get("messages")), "content", "assistant",
                b -> b.get("toolUse") == null ? null : (String) map(b.get("toolUse")).get("toolUseId"),
                b -> b.get("toolResult") == null ? null : (String) map(b.get("toolResult")).get("toolUseId"));

        Map<String, Object> gemini = request("gemini");
        assertThat(map(gemini.get("request"))).containsOnlyKeys("systemInstruction", "contents");
        assertThat(map(map(gemini.get("request")).get("systemInstruction"))).isEqualTo(Map.of("parts", List.of(Map.of("text", "You are terse."))));
        assertAlternatingAndPaired(maps(map(gemini.get("request")).get("contents")), "parts", "model",
                p -> p.get("functionCall") == null ? null : (String) map(p.get("functionCall")).get("id"),
                p -> p.get("functionResponse") == null ? null : (String) map(p.get("functionResponse")).get("id"));
    }

    @Test
    void readsTheHeadThenTheSystemMessageAndSummaryAlongsideOneQueryOverTheContextRangeOnly() {
        conversationWithSummaryAndPendingApproval();
        ConversationHead head = head();
        assertThat(head.contextStartSeq()).as("messages were evicted").isGreaterThan(1);
        recorder.drain();

        assertThat(context().status()).isEqualTo(200);

        // The BatchGetItem and the Query go out together after the head, so they may finish in either order.
        List<Recorder.Call> calls = recorder.drain();
        assertThat(calls).hasSize(3);
        assertThat(calls.get(0).request()).isInstanceOfSatisfying(GetItemRequest.class, r -> {
            assertThat(r.key().get("sk").s()).isEqualTo("HEAD");
            assertThat(r.consistentRead()).as("the head decides the range and the ETag").isTrue();
        });
        assertThat(calls.subList(1, 3)).extracting(Recorder.Call::request).filteredOn(BatchGetItemRequest.class::isInstance)
                .singleElement().isInstanceOfSatisfying(BatchGetItemRequest.class, r -> {
                    assertThat(r.requestItems().get(table).keys()).extracting(k -> k.get("sk").s())
                            .containsExactlyInAnyOrder("MSG#000000000000", String.format("SUM#%08d", head.summaryGen()));
                    assertThat(r.requestItems().get(table).consistentRead()).as("immutable items, half the units").isFalse();
                });
        assertThat(calls.subList(1, 3)).extracting(Recorder.Call::request).filteredOn(QueryRequest.class::isInstance)
                .singleElement().isInstanceOfSatisfying(QueryRequest.class, r -> {
                    assertThat(r.expressionAttributeValues().get(":from").s()).isEqualTo(String.format("MSG#%012d", head.contextStartSeq()));
                    assertThat(r.expressionAttributeValues().get(":to").s()).isEqualTo(String.format("MSG#%012d", head.nextSeq() - 1));
                    assertThat(r.consistentRead()).as("immutable messages, checked against the head").isFalse();
                });
        // The evicted messages are in the table, and no call returned any of them.
        Set<String> evicted = Set.copyOf(local.partition(table, "T#" + TENANT + "#C#" + conversationId).stream()
                .map(i -> i.get("sk").s()).filter(sk -> sk.matches("MSG#\\d{12}"))
                .filter(sk -> Long.parseLong(sk.substring(4)) > 0 && Long.parseLong(sk.substring(4)) < head.contextStartSeq()).toList());
        assertThat(evicted).hasSize((int) head.contextStartSeq() - 1);
        assertThat(itemsRead(calls)).doesNotContainAnyElementsOf(evicted).contains("HEAD", "MSG#000000000000");
    }

    @Test
    void theSystemMessageAndSummaryAreReadWhileTheRangeIsQueried() {
        conversationWithSummaryAndPendingApproval();
        recorder.meetAtRendezvous();

        assertThat(context().status()).isEqualTo(200);

        // Each waited for the other to start: read one after the other, both would have timed out.
        assertThat(recorder.metAtRendezvous()).containsExactly(true, true);
    }

    @Test
    void aRangeReadThatMissesAJustAppendedMessageIsReadAgainConsistently() {
        conversationWithSummaryAndPendingApproval();
        ConversationHead head = head();
        String last = String.format("MSG#%012d", head.nextSeq() - 1);
        // From another container: this one's first read is the one whose replica lags.
        Map<String, Object> expected = coldContext();
        recorder.lagOnce(response -> response instanceof QueryResponse r
                ? r.toBuilder().items(r.items().stream().filter(i -> !i.get("sk").s().equals(last)).toList()).count(r.count() - 1).build()
                : response);
        recorder.drain();

        ApiResponse response = context();

        assertThat(Json.parseObject(response.body())).as("the replica missed the last message; the answer did not")
                .isEqualTo(expected);
        List<Recorder.Call> queries = recorder.drain().stream().filter(c -> c.request() instanceof QueryRequest).toList();
        assertThat(queries).extracting(c -> ((QueryRequest) c.request()).consistentRead()).containsExactly(false, true);
        assertThat(sortKeys(((QueryResponse) queries.get(0).response()).items())).doesNotContain(last);
    }

    @Test
    void aSummaryNotYetOnTheReplicaIsReadAgainConsistently() {
        conversationWithSummaryAndPendingApproval();
        String summaryKey = String.format("SUM#%08d", head().summaryGen());
        // From another container: this one's first read is the one whose replica lags.
        Map<String, Object> expected = coldContext();
        recorder.lagOnce(response -> response instanceof BatchGetItemResponse r
                ? r.toBuilder().responses(Map.of(table, r.responses().get(table).stream()
                        .filter(i -> !i.get("sk").s().equals(summaryKey)).toList())).build()
                : response);
        recorder.drain();

        ApiResponse response = context();

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(Json.parseObject(response.body())).isEqualTo(expected);
        List<Recorder.Call> batches = recorder.drain().stream().filter(c -> c.request() instanceof BatchGetItemRequest).toList();
        assertThat(batches).extracting(c -> ((BatchGetItemRequest) c.request()).requestItems().get(table))
                .satisfiesExactly(
                        first -> assertThat(first.consistentRead()).isFalse(),
                        again -> {
                            assertThat(again.consistentRead()).isTrue();
                            assertThat(again.keys()).extracting(k -> k.get("sk").s()).containsExactly(summaryKey);
                        });
    }

    private static QueryRequest query(Recorder.Call call) {
        return (QueryRequest) call.request();
    }

    private ApiResponse append(ApiHandler api, List<Map<String, Object>> messages) {
        ApiResponse response = api.handle(ApiEvents.of(TENANT, "POST", "/v1/conversations/{conversation_id}/messages/append")
                .param("conversation_id", conversationId).body(Map.of("messages", messages)), null, Instant.now().plusSeconds(20));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response;
    }

    @Test
    void aWarmReadQueriesOnlyPastTheMessagesItHoldsWhileItReadsTheHeadAndReadsNothingElse() {
        conversationWithSummaryAndPendingApproval();
        ConversationHead head = head();
        assertThat(context().status()).isEqualTo(200);
        recorder.drain();
        // The head read waits until the Query is answered: read one after the other, this would time out.
        CountDownLatch queried = recorder.nextQueryAnswered();
        recorder.beforeNextHeadRead(() -> await(queried));

        ApiResponse warm = context();

        assertThat(warm.status()).as(warm.body()).isEqualTo(200);
        assertThat(Json.parseObject(warm.body())).isEqualTo(coldContext());
        List<Recorder.Call> calls = recorder.drain();
        assertThat(calls).extracting(c -> c.request().getClass().getSimpleName())
                .containsExactlyInAnyOrder("GetItemRequest", "QueryRequest");
        QueryRequest range = calls.stream().filter(c -> c.request() instanceof QueryRequest).map(ContextRouteTest::query).findFirst()
                .orElseThrow();
        assertThat(range.expressionAttributeValues().get(":from").s()).as("past the last message the container holds")
                .isEqualTo(String.format("MSG#%012d", head.nextSeq()));
        assertThat(range.expressionAttributeValues().get(":to").s()).as("the end of the history: the head is not read yet")
                .isEqualTo("MSG$");
        assertThat(range.consistentRead()).isFalse();
        assertThat(itemsRead(calls)).as("no message is read again").containsExactly("HEAD");
    }

    @Test
    void aWarmReadAfterAnAppendReadsOnlyTheAppendedMessagesAndAnswersAsAColdRead() {
        conversationWithSummaryAndPendingApproval();
        context();
        long firstNew = head().nextSeq();
        append(elsewhere(), List.of(user("A turn appended in another container."), assistant("And its answer.")));
        recorder.drain();

        ApiResponse warm = context();

        assertThat(warm.body()).contains("A turn appended in another container.", "And its answer.");
        assertThat(Json.parseObject(warm.body())).isEqualTo(coldContext());
        List<Recorder.Call> calls = recorder.drain();
        assertThat(itemsRead(calls)).containsExactlyInAnyOrder("HEAD", String.format("MSG#%012d", firstNew),
                String.format("MSG#%012d", firstNew + 1));
    }

    @Test
    void aWarmReadWhoseQueryMissedAnAppendTheHeadShowsReadsTheRangeAgainConsistently() {
        conversationWithSummaryAndPendingApproval();
        context();
        recorder.drain();
        // The append commits after the Query was answered and before the head is read.
        CountDownLatch queried = recorder.nextQueryAnswered();
        recorder.beforeNextHeadRead(() -> {
            await(queried);
            append(elsewhere(), List.of(user("Appended in between.")));
        });

        ApiResponse warm = context();

        assertThat(warm.body()).contains("Appended in between.");
        assertThat(Json.parseObject(warm.body())).isEqualTo(coldContext());
        List<Recorder.Call> queries = recorder.drain().stream().filter(c -> c.request() instanceof QueryRequest).toList();
        assertThat(queries).extracting(c -> query(c).consistentRead()).containsExactly(false, true);
        String appended = String.format("MSG#%012d", head().nextSeq() - 1);
        assertThat(itemsRead(queries.subList(0, 1))).as("the first Query ran before the append").doesNotContain(appended);
        assertThat(itemsRead(queries.subList(1, 2))).as("only what the first Query missed is read again").containsExactly(appended);
    }

    @Test
    void aWarmReadAfterACompactionElsewhereAnswersTheNewContextAndThenQueriesFromItsStart() {
        conversationWithSummaryAndPendingApproval();
        ConversationHead before = head();
        context();
        assertThat(elsewhere().handle(ApiEvents.of(TENANT, "POST", "/v1/conversations/{conversation_id}/compact")
                .param("conversation_id", conversationId).body(Map.of("compaction_settings", Map.of("mode", "all"))), null,
                Instant.now().plusSeconds(20)).status()).isEqualTo(200);
        ConversationHead after = head();
        assertThat(after.contextStartSeq()).isGreaterThan(before.contextStartSeq());
        recorder.drain();

        ApiResponse warm = context();

        assertThat(Json.parseObject(warm.body())).isEqualTo(coldContext());
        assertThat(Json.parseObject(warm.body())).containsEntry("generation", after.compactionGen());
        List<Recorder.Call> calls = recorder.drain();
        // The held messages hold the new range: the Query asks only past them; the new summary is read once.
        assertThat(calls).filteredOn(c -> c.request() instanceof QueryRequest).singleElement()
                .satisfies(c -> assertThat(query(c).expressionAttributeValues().get(":from").s())
                        .isEqualTo(String.format("MSG#%012d", before.nextSeq())));
        assertThat(calls).filteredOn(c -> c.request() instanceof BatchGetItemRequest).singleElement()
                .satisfies(c -> assertThat(((BatchGetItemRequest) c.request()).requestItems().get(table).keys())
                        .extracting(k -> k.get("sk").s()).containsExactly(String.format("SUM#%08d", after.summaryGen())));

        assertThat(itemsRead(calls)).as("no message is read again, evicted or kept")
                .containsExactlyInAnyOrder("HEAD", String.format("SUM#%08d", after.summaryGen()));
    }

    @Test
    void aWarmReadAfterARevertElsewhereReadsTheEarlierStartAgain() {
        conversationWithSummaryAndPendingApproval();
        ConversationHead compacted = head();
        context();
        ApiResponse reverted = elsewhere().handle(ApiEvents.of(TENANT, "POST", "/v1/conversations/{conversation_id}/compactions/{generation}/revert")
                .param("conversation_id", conversationId).param("generation", Long.toString(compacted.summaryGen())).body(null), null,
                Instant.now().plusSeconds(20));
        assertThat(reverted.status()).as(reverted.body()).isEqualTo(200);
        assertThat(head().contextStartSeq()).isLessThan(compacted.contextStartSeq());
        recorder.drain();

        ApiResponse warm = context();

        assertThat(Json.parseObject(warm.body())).isEqualTo(coldContext());
        List<Recorder.Call> queries = recorder.drain().stream().filter(c -> c.request() instanceof QueryRequest).toList();
        assertThat(queries).extracting(c -> query(c).consistentRead())
                .as("the messages before the start it knew were not in the first Query").containsExactly(false, true);
        assertThat(query(queries.get(1)).expressionAttributeValues()).as("only the messages the revert brought back are read")
                .containsEntry(":from", AttributeValue.fromS(String.format("MSG#%012d", head().contextStartSeq())))
                .containsEntry(":to", AttributeValue.fromS(String.format("MSG#%012d", compacted.contextStartSeq() - 1)));
    }

    private void purgeElsewhere() {
        ApiResponse purged = elsewhere().handle(ApiEvents.of(TENANT, "DELETE", "/v1/conversations/{conversation_id}")
                .param("conversation_id", conversationId).query("purge", "true").body(null), null, Instant.now().plusSeconds(20));
        assertThat(purged.status()).as(purged.body()).isEqualTo(200);
    }

    @Test
    void aConversationPurgedAndCreatedAgainUnderItsIdIsReadAfreshAndAPurgedOneIsNotFound() {
        append(conversationId, List.of(user("Before the purge.")));
        assertThat(context().body()).contains("You are terse.", "Before the purge.");
        purgeElsewhere();
        Agent other = services.store().createAgent(TENANT, new Agent(Ids.newAgentId(), "ctx2", "local/extractive", WINDOW,
                "You are verbose.", "UTC", null, Instant.now()));
        services.store().createConversation(TENANT, other, conversationId);

        ApiResponse again = context();

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).contains("You are verbose.").doesNotContain("You are terse.", "Before the purge.");
        assertThat(Json.parseObject(again.body())).isEqualTo(coldContext());

        purgeElsewhere();
        assertThat(context().status()).isEqualTo(404);
    }

    @Test
    void aStaleIfNoneMatchOnAContainerThatReadTheContextReadsTheHeadThenOnlyTheAppendedMessages() {
        conversationWithSummaryAndPendingApproval();
        String etag = context().headers().get("ETag");
        long firstNew = head().nextSeq();
        append(elsewhere(), List.of(user("A turn the agent's loop appended.")));
        recorder.drain();

        ApiResponse changed = context(conversationId, Map.of(), Map.of("If-None-Match", etag));

        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.headers().get("ETag")).isNotEqualTo(etag);
        assertThat(Json.parseObject(changed.body())).isEqualTo(coldContext());
        List<Recorder.Call> calls = recorder.drain();
        assertThat(calls).extracting(c -> c.request().getClass().getSimpleName()).containsExactly("GetItemRequest", "QueryRequest");
        assertThat(query(calls.get(1)).expressionAttributeValues()).as("from the first message it does not hold, to the head's last")
                .containsEntry(":from", AttributeValue.fromS(String.format("MSG#%012d", firstNew)))
                .containsEntry(":to", AttributeValue.fromS(String.format("MSG#%012d", firstNew)));
        assertThat(itemsRead(calls)).containsExactly("HEAD", String.format("MSG#%012d", firstNew));
    }

    @Test
    void aMatchingIfNoneMatchIs304AfterOneHeadReadAndAnyChangeMakesANewTag() {
        conversationWithSummaryAndPendingApproval();
        String etag = context().headers().get("ETag");
        recorder.drain();

        ApiResponse notModified = context(conversationId, Map.of(), Map.of("If-None-Match", etag));

        assertThat(notModified.status()).isEqualTo(304);
        assertThat(notModified.body()).isEmpty();
        assertThat(notModified.headers()).containsEntry("ETag", etag);
        List<Recorder.Call> calls = recorder.drain();
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0).request()).isInstanceOfSatisfying(GetItemRequest.class,
                r -> assertThat(r.key().get("sk").s()).isEqualTo("HEAD"));
        assertThat(context(conversationId, Map.of(), Map.of("If-None-Match", "\"0.1\", W/" + etag)).status())
                .as("a list, weakly compared").isEqualTo(304);
        assertThat(context(conversationId, Map.of(), Map.of("If-None-Match", "*")).status()).isEqualTo(304);
        assertThat(context(conversationId, Map.of(), Map.of("If-None-Match", "\"0.1\"")).status()).isEqualTo(200);

        append(conversationId, List.of(user("One more thing.")));
        ApiResponse afterAppend = context(conversationId, Map.of(), Map.of("If-None-Match", etag));
        assertThat(afterAppend.status()).isEqualTo(200);
        String appendedTag = afterAppend.headers().get("ETag");
        assertThat(appendedTag).isNotEqualTo(etag);

        compact();
        ApiResponse afterCompaction = context(conversationId, Map.of(), Map.of("If-None-Match", appendedTag));
        assertThat(afterCompaction.status()).isEqualTo(200);
        assertThat(afterCompaction.headers().get("ETag")).isNotEqualTo(appendedTag).startsWith("\"2.");
    }

    @Test
    void theAppendAnswerSaysWhereTheContextStandsWithoutReadingAnythingButTheHead() {
        recorder.drain();
        ApiResponse small = append(conversationId, List.of(user("Hello there.")));

        assertThat(small.status()).as(small.body()).isEqualTo(200);
        Map<String, Object> answer = Json.parseObject(small.body());
        List<Recorder.Call> calls = recorder.drain();
        ConversationHead head = head();
        assertThat(answer).containsOnlyKeys("conversation_id", "message_ids", "context_token_estimate", "context_window",
                "due_threshold", "due");
        assertThat(answer).containsEntry("context_token_estimate", head.contextTokens())
                .containsEntry("context_window", (long) WINDOW).containsEntry("due_threshold", head.dueThreshold())
                .containsEntry("due", false);
        assertThat(calls).extracting(c -> c.request().getClass().getSimpleName())
                .containsExactly("GetItemRequest", "TransactWriteItemsRequest");

        ApiResponse large = append(conversationId, List.of(assistant("word ".repeat(WINDOW))));
        Map<String, Object> due = Json.parseObject(large.body());
        assertThat(due).containsEntry("due", true).containsEntry("context_token_estimate", head().contextTokens());
        assertThat((long) due.get("context_token_estimate")).isGreaterThanOrEqualTo(head.dueThreshold());
    }

    @Test
    void anAppendRacingACompactionReportsTheHeadTheCompactionLeft() {
        for (int round = 1; round <= 6; round++) {
            append(conversationId, toolExchange(round));
        }
        // The compaction commits after the append read the head and before it writes.
        AtomicBoolean compacted = new AtomicBoolean();
        synchronized (recorder) {
            recorder.beforeNextTransaction = () -> {
                Services other = local.services(table, handle -> request -> new SummaryResult(SUMMARY, SummaryResult.LLM, handle,
                        TokenUsage.NONE, 1));
                assertThat(new ApiHandler(other).handle(ApiEvents.of(TENANT, "POST", "/v1/conversations/{conversation_id}/compact")
                        .param("conversation_id", conversationId).body(Map.of("compaction_settings", Map.of("mode", "all"))),
                        null, Instant.now().plusSeconds(20)).status()).isEqualTo(200);
                compacted.set(true);
            };
        }

        Map<String, Object> answer = Json.parseObject(append(conversationId, List.of(user("And tomorrow?"))).body());

        assertThat(compacted).isTrue();
        assertThat(head().compactionGen()).isEqualTo(1);
        assertThat(answer).containsEntry("context_token_estimate", head().contextTokens());
    }

    @Test
    void agentDirectModeAndTheDeprecatedAgentIdReadTheAgentsDefaultConversation() {
        append(agent.id(), List.of(user("Hi from the default conversation.")));

        ApiResponse direct = context("default", Map.of("agent_id", agent.id()), Map.of());
        ApiResponse deprecated = context(agent.id(), Map.of(), Map.of());

        assertThat(direct.status()).as(direct.body()).isEqualTo(200);
        assertThat(direct.body()).contains("Hi from the default conversation.").contains("\"conversation_id\":\"" + agent.id() + "\"");
        assertThat(deprecated.body()).isEqualTo(direct.body());
        assertThat(context("default", Map.of("agent_id", Ids.newAgentId()), Map.of()).status()).isEqualTo(404);
        assertThat(context(Ids.newConversationId(), Map.of(), Map.of()).status()).isEqualTo(404);
    }

    @Test
    void anUnknownFormatIsAPydantic422BeforeAnyRead() {
        recorder.drain();

        ApiResponse response = context(conversationId, Map.of("format", "xml"), Map.of());

        assertThat(response.status()).isEqualTo(422);
        assertThat((String) Json.parseObject(response.body()).get("detail"))
                .contains("'type': 'literal_error', 'loc': ('query', 'format'), 'msg': \"Input should be 'letta', 'openai', "
                        + "'anthropic', 'bedrock' or 'gemini'\"").contains("'input': 'xml'");
        assertThat(recorder.drain()).isEmpty();
        assertThat(context(conversationId, Map.of("format", "letta"), Map.of()).status()).isEqualTo(200);
    }

    @Test
    void aHeadWrittenBeforeItRecordedTheWindowGetsTheAgents() {
        try (DynamoDbClient client = local.dynamo.client()) {
            client.updateItem(r -> r.tableName(table).key(Map.of("pk", AttributeValue.fromS("T#" + TENANT + "#C#" + conversationId),
                    "sk", AttributeValue.fromS("HEAD"))).updateExpression("REMOVE context_window"));
        }

        assertThat(Json.parseObject(context().body())).containsEntry("context_window", (long) WINDOW);
        assertThat(Json.parseObject(append(conversationId, List.of(user("Hi."))).body())).containsEntry("context_window", (long) WINDOW);
    }

    @Test
    void aPatchOfTheConversationsContextWindowLimitMakesANewTag() {
        conversationWithSummaryAndPendingApproval();
        ApiResponse before = context();
        String etag = before.headers().get("ETag");

        ApiResponse patched = handler.handle(ApiEvents.of(TENANT, "PATCH", "/v1/conversations/{conversation_id}")
                .param("conversation_id", conversationId).body(Map.of("context_window_limit", WINDOW / 2)), null,
                Instant.now().plusSeconds(20));
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        ApiResponse after = context(conversationId, Map.of(), Map.of("If-None-Match", etag));

        assertThat(after.status()).as("the window and threshold shown changed: not a 304").isEqualTo(200);
        assertThat(Json.parseObject(after.body())).containsEntry("context_window", (long) WINDOW / 2)
                .containsEntry("generation", Json.parseObject(before.body()).get("generation"));
        assertThat(after.headers().get("ETag")).isNotEqualTo(etag);
        assertThat(context(conversationId, Map.of(), Map.of("If-None-Match", after.headers().get("ETag"))).status()).isEqualTo(304);
    }
}
