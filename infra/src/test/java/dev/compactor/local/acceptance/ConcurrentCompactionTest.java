package dev.compactor.local.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.compactor.app.Services;
import dev.compactor.compaction.CompactionService;
import dev.compactor.conversation.ConcurrentCompactionException;
import dev.compactor.conversation.ConversationStore;
import dev.compactor.conversation.Ids;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.Reverted;
import dev.compactor.conversation.Role;
import dev.compactor.conversation.Snapshot;
import dev.compactor.llm.SummaryResult;
import dev.compactor.llm.TokenUsage;
import dev.compactor.local.command.Seeder;
import dev.compactor.local.testing.TestDynamo;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Commits are guarded by the generation they were planned against (DynamoDB Local, real SDK). */
class ConcurrentCompactionTest {

    @Test
    void ofTwoOverlappingCompactionsOnlyTheFirstToCommitWins() {
        TestDynamo local = TestDynamo.get();
        String table = local.newTable();
        String id = Ids.newConversationId();
        AtomicReference<Services> services = new AtomicReference<>();
        AtomicReference<CompactionService.Result> inner = new AtomicReference<>();
        // While the outer compaction waits for its model, a second compaction of the same conversation commits.
        services.set(local.services(table, handle -> request -> {
            if (inner.get() == null) {
                inner.set(new CompactionService.Result(null, 0, 0, null));
                inner.set(services.get().compaction().compact("local", CompactionService.Target.conversation(id), null,
                        "manual", Instant.now().plusSeconds(30)));
            }
            return new SummaryResult("summary", SummaryResult.LLM, handle, TokenUsage.NONE, 1);
        }));
        Seeder.seed(services.get().store(), Seeder.SAMPLE_AGENT_ID, id, "local/extractive", Seeder.CONTEXT_WINDOW);

        assertThatThrownBy(() -> services.get().compaction().compact("local", CompactionService.Target.conversation(id), null,
                "manual", Instant.now().plusSeconds(30))).isInstanceOf(ConcurrentCompactionException.class);

        Snapshot after = services.get().store().snapshot("local", id);
        assertThat(after.head().compactionGen()).isEqualTo(1);
        assertThat(inner.get().numMessagesAfter()).isEqualTo(after.inContext().size());
    }

    @Test
    void aMessageAppendedDuringACompactionStaysInContextAndIsNotSummarised() {
        TestDynamo local = TestDynamo.get();
        String table = local.newTable();
        String id = Ids.newConversationId();
        AtomicReference<ConversationStore> store = new AtomicReference<>();
        AtomicReference<Message> appended = new AtomicReference<>();
        Services services = local.services(table, handle -> request -> {
            appended.set(store.get().append("local", id, java.util.List.of(Message.text(Role.USER, "one more thing"))).get(0));
            return new SummaryResult("summary", SummaryResult.LLM, handle, TokenUsage.NONE, 1);
        });
        store.set(services.store());
        Seeder.seed(services.store(), Seeder.SAMPLE_AGENT_ID, id, "local/extractive", Seeder.CONTEXT_WINDOW);

        CompactionService.Result result = services.compaction().compact("local", CompactionService.Target.conversation(id),
                null, "manual", Instant.now().plusSeconds(30));

        Snapshot after = services.store().snapshot("local", id);
        assertThat(after.tail()).last().extracting(Message::id).isEqualTo(appended.get().id());
        assertThat(after.summaryRecord().coveredToSeq()).isLessThan(appended.get().seq());
        assertThat(after.inContext()).hasSize(result.numMessagesAfter() + 1);
        assertThat(after.head().contextTokens()).isEqualTo(after.inContext().stream().mapToLong(Message::tokens).sum());
    }

    @Test
    void aRevertCommittedWhileACompactionRunsMakesThatCompaction409() {
        TestDynamo local = TestDynamo.get();
        String table = local.newTable();
        String id = Ids.newConversationId();
        AtomicReference<Services> services = new AtomicReference<>();
        AtomicReference<Reverted> reverted = new AtomicReference<>();
        services.set(local.services(table, handle -> request -> {
            if (services.get().store().snapshot("local", id).head().compactionGen() == 1 && reverted.get() == null) {
                reverted.set(services.get().store().revert("local", id, 1));
            }
            return new SummaryResult("summary", SummaryResult.LLM, handle, TokenUsage.NONE, 1);
        }));
        Seeder.seed(services.get().store(), Seeder.SAMPLE_AGENT_ID, id, "local/extractive", Seeder.CONTEXT_WINDOW);
        services.get().compaction().compact("local", CompactionService.Target.conversation(id), null, "manual",
                Instant.now().plusSeconds(30));

        assertThatThrownBy(() -> services.get().compaction().compact("local", CompactionService.Target.conversation(id), null,
                "manual", Instant.now().plusSeconds(30))).isInstanceOf(ConcurrentCompactionException.class);

        Snapshot after = services.get().store().snapshot("local", id);
        assertThat(reverted.get().generation()).isEqualTo(2);
        assertThat(after.head().compactionGen()).isEqualTo(2);
        assertThat(after.summary()).isNull();
        assertThat(after.inContext()).hasSize(43);
        assertThat(after.head().contextTokens()).isEqualTo(after.inContext().stream().mapToLong(Message::tokens).sum());
    }
}
