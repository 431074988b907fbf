package dev.compactor.local.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.compactor.app.Services;
import dev.compactor.compaction.CompactionService;
import dev.compactor.conversation.Agent;
import dev.compactor.conversation.ConversationNotFoundException;
import dev.compactor.conversation.ConversationStore;
import dev.compactor.conversation.Ids;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.Role;
import dev.compactor.llm.SummaryResult;
import dev.compactor.llm.TokenUsage;
import dev.compactor.local.testing.TestDynamo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * A soft delete that lands while an append or a compaction of the same conversation is under way
 * wins: the other write finds the head deleted at its conditional write, answers 404, and stores
 * nothing. The delete is made from inside the other write (its summarizer call, or just before its
 * transaction is sent), so the interleaving is exact, not timed.
 */
class SoftDeleteRaceTest {
    private static final String TENANT = "acme";
    private final TestDynamo local = TestDynamo.get();
    private final String table = local.newTable();
    private final ConversationStore plain = local.services(table).store();

    private String conversation() {
        Agent agent = plain.createAgent(TENANT, new Agent(Ids.newAgentId(), "race", "local/extractive", 128_000, "Be brief.", "UTC",
                null, Instant.now()));
        String id = Ids.newConversationId();
        plain.createConversation(TENANT, agent, id);
        List<Message> turns = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            turns.add(Message.text(i % 2 == 0 ? Role.USER : Role.ASSISTANT, "Turn " + i + " of the invoice migration"));
        }
        plain.append(TENANT, id, turns);
        return id;
    }

    @Test
    void aCompactionWhoseConversationIsDeletedWhileItSummarizesCommitsNothingAndAnswers404() {
        String id = conversation();
        Services services = local.services(table, handle -> request -> {
            plain.deleteConversation(TENANT, id);
            return new SummaryResult("The migration went well.", SummaryResult.LLM, handle, TokenUsage.NONE, 3);
        });

        assertThatThrownBy(() -> services.compaction().compact(TENANT, CompactionService.Target.conversation(id), null, "manual",
                Instant.now().plusSeconds(30))).isInstanceOf(ConversationNotFoundException.class);
        assertThat(local.partition(table, "T#" + TENANT + "#C#" + id)).noneMatch(item -> item.get("sk").s().startsWith("SUM#"));
    }

    @Test
    void anAppendWhoseConversationIsDeletedJustBeforeItsTransactionStoresNothingAndAnswers404() {
        String id = conversation();
        int before = local.partition(table, "T#" + TENANT + "#C#" + id).size();
        AtomicBoolean deleted = new AtomicBoolean();
        ExecutionInterceptor deleteFirst = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof TransactWriteItemsRequest && deleted.compareAndSet(false, true)) {
                    plain.deleteConversation(TENANT, id);
                }
            }
        };
        ConversationStore racing = local.services(table, handle -> {
            throw new AssertionError("nothing summarizes");
        }, deleteFirst).store();

        assertThatThrownBy(() -> racing.append(TENANT, id, List.of(Message.text(Role.USER, "one more turn"))))
                .isInstanceOf(ConversationNotFoundException.class);
        assertThat(deleted).isTrue();
        assertThat(local.partition(table, "T#" + TENANT + "#C#" + id)).hasSize(before);
    }
}
