package dev.compactor.local.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.compactor.app.Services;
import dev.compactor.compaction.CompactionService;
import dev.compactor.compaction.Compactor;
import dev.compactor.compaction.MessageTokens;
import dev.compactor.compaction.ModelChoice;
import dev.compactor.conversation.ConversationStore;
import dev.compactor.conversation.Ids;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.Role;
import dev.compactor.llm.ModelHandle;
import dev.compactor.llm.Summarizer;
import dev.compactor.llm.SummaryResult;
import dev.compactor.llm.TokenUsage;
import dev.compactor.local.command.Seeder;
import dev.compactor.local.testing.Backend;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Failures between the model's answer and the commit leave a conversation exactly as it was (every
 * item of its partition compared before and after), and the retry succeeds. Two stand-ins for
 * what cannot run here: a process dying (a store whose commit throws, after the summarizer
 * answered) and DynamoDB cancelling a transaction (an SDK interceptor adds a condition that
 * fails, so DynamoDB Local itself cancels the whole transaction).
 */
class CrashConsistencyTest {
    static final String TENANT = Seeder.TENANT;
    private final Backend local = backend();
    private final String table = local.newTable();
    private final AtomicInteger modelCalls = new AtomicInteger();
    private final Function<ModelHandle, Summarizer> summarizers = handle -> request -> {
        modelCalls.incrementAndGet();
        return new SummaryResult("what happened so far", SummaryResult.LLM, handle, TokenUsage.NONE, 1);
    };

    /** Where the test runs: DynamoDB Local here; its LocalStack variant overrides this. */
    Backend backend() {
        return Backend.emulators();
    }

    @Test
    void aCrashAfterTheModelAnsweredAndBeforeTheCommitChangesNothing() {
        Services services = local.services(table, summarizers);
        String id = seeded(services.store());
        List<Map<String, AttributeValue>> before = items(id);
        ConversationStore dying = (ConversationStore) Proxy.newProxyInstance(ConversationStore.class.getClassLoader(),
                new Class<?>[] {ConversationStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("commit")) {
                        throw new IllegalStateException("the process died before committing");
                    }
                    try {
                        return method.invoke(services.store(), args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        CompactionService crashing = new CompactionService(dying, dying, new Compactor(summarizers, MessageTokens.approximate(),
                Clock.systemUTC()), new ModelChoice(ModelHandle.parse("local/extractive")), Clock.systemUTC());

        assertThatThrownBy(() -> compact(crashing, id)).hasMessageContaining("process died");

        assertThat(modelCalls.get()).isEqualTo(1);
        assertThat(items(id)).isEqualTo(before);
        CompactionService.Result retried = compact(services.compaction(), id);
        assertThat(retried.committed().generation()).isEqualTo(1L);
        assertThat(services.store().snapshot(TENANT, id).head().compactionGen()).isEqualTo(1);
    }

    @Test
    void aCancelledCommitTransactionChangesNothingAndTheRetryCommits() {
        AtomicBoolean failNextTransaction = new AtomicBoolean();
        Services services = local.services(table, summarizers, failingTransactions(failNextTransaction));
        String id = seeded(services.store());
        List<Map<String, AttributeValue>> before = items(id);

        failNextTransaction.set(true);
        assertThatThrownBy(() -> compact(services.compaction(), id)).isInstanceOf(TransactionCanceledException.class);

        assertThat(items(id)).isEqualTo(before);
        assertThat(compact(services.compaction(), id).committed().generation()).isEqualTo(1L);
        assertThat(items(id)).hasSize(before.size() + 2);
    }

    @Test
    void aCancelledAppendTransactionStoresNoneOfItsMessages() {
        AtomicBoolean failNextTransaction = new AtomicBoolean();
        Services services = local.services(table, summarizers, failingTransactions(failNextTransaction));
        String id = seeded(services.store());
        List<Map<String, AttributeValue>> before = items(id);
        List<Message> batch = List.of(Message.text(Role.USER, "one"), Message.text(Role.ASSISTANT, "two"),
                Message.text(Role.USER, "three"));

        failNextTransaction.set(true);
        assertThatThrownBy(() -> services.store().append(TENANT, id, batch)).isInstanceOf(TransactionCanceledException.class);

        assertThat(items(id)).isEqualTo(before);
        List<Message> stored = services.store().append(TENANT, id, batch);
        assertThat(stored).extracting(Message::seq).containsExactly(43L, 44L, 45L);
    }

    private String seeded(ConversationStore store) {
        String id = Ids.newConversationId();
        Seeder.seed(store, Seeder.SAMPLE_AGENT_ID, id, "local/extractive", Seeder.CONTEXT_WINDOW);
        return id;
    }

    private static CompactionService.Result compact(CompactionService service, String id) {
        return service.compact(TENANT, CompactionService.Target.conversation(id), null, "manual", Instant.now().plusSeconds(30));
    }

    /** Every item of the conversation's partition, in key order. */
    private List<Map<String, AttributeValue>> items(String conversationId) {
        return local.partition(table, "T#" + TENANT + "#C#" + conversationId);
    }

    /** Adds a condition on an item that does not exist to the next transaction, so DynamoDB cancels all of it. */
    private ExecutionInterceptor failingTransactions(AtomicBoolean failNext) {
        return new ExecutionInterceptor() {
            @Override
            public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
                if (!(context.request() instanceof TransactWriteItemsRequest request) || !failNext.getAndSet(false)) {
                    return context.request();
                }
                List<TransactWriteItem> items = new ArrayList<>(request.transactItems());
                items.add(TransactWriteItem.builder().conditionCheck(ConditionCheck.builder().tableName(table)
                        .key(Map.of("pk", AttributeValue.fromS("no-such-item"), "sk", AttributeValue.fromS("none")))
                        .conditionExpression("attribute_exists(pk)").build()).build());
                return request.toBuilder().transactItems(items).build();
            }
        };
    }
}
