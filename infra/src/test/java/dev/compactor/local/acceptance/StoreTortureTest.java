package dev.compactor.local.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.app.Services;
import dev.compactor.compaction.CompactionService;
import dev.compactor.compaction.CompactionSettings;
import dev.compactor.compaction.NothingToCompactException;
import dev.compactor.compaction.SettingsParser;
import dev.compactor.conversation.Agent;
import dev.compactor.conversation.ConcurrentCompactionException;
import dev.compactor.conversation.ConversationStore;
import dev.compactor.conversation.HistoryQuery;
import dev.compactor.conversation.Ids;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.Role;
import dev.compactor.conversation.Snapshot;
import dev.compactor.conversation.SummaryRecord;
import dev.compactor.input.Fields;
import dev.compactor.llm.SummaryResult;
import dev.compactor.llm.TokenUsage;
import dev.compactor.local.testing.Backend;
import dev.compactor.support.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Appends and compactions racing on one conversation, against DynamoDB Local (or LocalStack)
 * through the real SDK: 4 appender threads of 250 single-message appends each while two threads
 * run 10 compactions (one sliding window, one {@code all}). The summarizer is the only stand-in: it
 * answers, without a model, once an append has committed after the call began, so a compaction
 * is in flight while appends commit (counted, not assumed); the compaction threads space their
 * runs by waiting for further appends rather than by sleeping.
 */
class StoreTortureTest {
    static final String TENANT = "local";
    static final int APPENDERS = 4;
    static final int APPENDS_EACH = 250;
    static final int COMPACTION_THREADS = 2;
    static final int COMPACTIONS_EACH = 5;
    static final int SEEDED = 20;
    static final int APPENDS_BETWEEN_COMPACTIONS = 15;

    /** What a compaction thread saw: the record it committed and a snapshot read right after. */
    record Committed(SummaryRecord record, Snapshot after) {}

    /** Where the test runs: DynamoDB Local here; its LocalStack variant overrides this. */
    Backend backend() {
        return Backend.emulators();
    }

    @Test
    void noMessageIsLostOrBothSummarisedAndInContextAndEachGenerationCommitsOnce() throws Exception {
        Backend local = backend();
        AtomicInteger modelCalls = new AtomicInteger();
        AtomicInteger racedAppends = new AtomicInteger();
        Appends appends = new Appends(APPENDERS);
        Services services = local.services(local.newTable(), handle -> request -> {
            modelCalls.incrementAndGet();
            // The model call (between the compaction's snapshot and its commit) lasts until an append commits.
            if (appends.awaitBeyond(appends.count())) {
                racedAppends.incrementAndGet();
            }
            return new SummaryResult("summary " + modelCalls.get(), SummaryResult.LLM, handle, TokenUsage.NONE, 40);
        });
        ConversationStore store = services.store();
        Agent agent = store.createAgent(TENANT, new Agent(Ids.newAgentId(), "torture", "local/extractive", 200_000, "Be brief.",
                "UTC", null, Instant.now()));
        String id = Ids.newConversationId();
        store.createConversation(TENANT, agent, id);
        store.append(TENANT, id, IntStream.range(0, SEEDED).mapToObj(StoreTortureTest::turn).toList());

        ExecutorService pool = Executors.newFixedThreadPool(APPENDERS + COMPACTION_THREADS);
        List<Future<List<String>>> appenders = new ArrayList<>();
        for (int a = 0; a < APPENDERS; a++) {
            appenders.add(pool.submit(() -> {
                List<String> ids = new ArrayList<>();
                try {
                    for (int i = 0; i < APPENDS_EACH; i++) {
                        ids.add(store.append(TENANT, id, List.of(turn(i))).get(0).id());
                        appends.committed();
                    }
                } finally {
                    appends.appenderDone();
                }
                return ids;
            }));
        }
        List<Future<List<Committed>>> compactors = new ArrayList<>();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger answeredByAnother = new AtomicInteger();
        for (int c = 0; c < COMPACTION_THREADS; c++) {
            CompactionSettings settings = c == 0 ? null : SettingsParser.parse(Json.tree("{\"mode\":\"all\"}"), List.of("settings"), new Fields());
            compactors.add(pool.submit(compactions(services, id, settings, refused, answeredByAnother, appends)));
        }
        List<String> appended = new ArrayList<>();
        for (Future<List<String>> f : appenders) {
            appended.addAll(f.get(5, TimeUnit.MINUTES));
        }
        List<Committed> commits = new ArrayList<>();
        for (Future<List<Committed>> f : compactors) {
            commits.addAll(f.get(5, TimeUnit.MINUTES));
        }
        pool.shutdown();

        assertThat(appended).hasSize(APPENDERS * APPENDS_EACH).doesNotHaveDuplicates();
        assertThat(commits.size() + refused.get() + answeredByAnother.get()).isEqualTo(COMPACTION_THREADS * COMPACTIONS_EACH);
        assertThat(commits).as("most compactions commit").hasSizeGreaterThanOrEqualTo(5);
        assertThat(modelCalls.get()).isGreaterThanOrEqualTo(commits.size());
        assertThat(racedAppends.get()).as("compactions during which an append committed").isPositive();

        // Every appended message is in history exactly once, in sequence, with each summary after the last message it covers.
        List<Message> history = fullHistory(store, id);
        List<Message> messages = history.stream().filter(m -> m.role() != Role.SUMMARY).toList();
        assertThat(messages).extracting(Message::seq).containsExactlyElementsOf(
                IntStream.rangeClosed(0, SEEDED + APPENDERS * APPENDS_EACH).mapToObj(i -> (long) i).toList());
        assertThat(messages.stream().map(Message::id).toList()).containsAll(appended).doesNotHaveDuplicates();
        List<SummaryRecord> records = store.compactions(TENANT, id, 0, 100, true);
        for (int i = 0; i < history.size(); i++) {
            if (history.get(i).role() == Role.SUMMARY) {
                String summaryId = history.get(i).id();
                SummaryRecord r = records.stream().filter(x -> x.messageId().equals(summaryId)).findFirst().orElseThrow();
                int previous = i - 1;
                while (history.get(previous).role() == Role.SUMMARY) {
                    previous--;
                }
                assertThat(history.get(previous).seq()).isEqualTo(r.coveredToSeq());
            }
        }

        // Exactly one commit per generation, each on top of the one before.
        assertThat(records).extracting(SummaryRecord::generation)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, commits.size()).mapToObj(g -> (long) g).toList());
        assertThat(records).allSatisfy(r -> assertThat(r.parentGeneration()).isEqualTo(r.generation() - 1));
        assertThat(commits).extracting(c -> c.record().generation()).doesNotHaveDuplicates();

        // Every committed context was system + summary + a contiguous suffix, and nothing summarised stayed in context.
        for (Committed c : commits) {
            assertShape(c.after());
            if (c.after().head().summaryGen() == c.record().generation()) {
                assertThat(c.after().head().contextStartSeq()).isEqualTo(c.record().keptFromSeq());
            }
        }
        Snapshot end = store.snapshot(TENANT, id);
        assertShape(end);
        assertThat(end.summaryRecord().coveredToSeq()).isEqualTo(end.head().contextStartSeq() - 1);
        assertThat(end.head().compactionGen()).isEqualTo(commits.size());
        assertThat(end.head().contextTokens()).isEqualTo(end.inContext().stream().mapToLong(Message::tokens).sum());
    }

    private static Callable<List<Committed>> compactions(Services services, String id, CompactionSettings settings,
                                                       AtomicInteger refused, AtomicInteger answeredByAnother, Appends appends) {
        return () -> {
            List<Committed> committed = new ArrayList<>();
            for (int i = 0; i < COMPACTIONS_EACH; i++) {
                try {
                    CompactionService.Result r = services.compaction().compact(TENANT, CompactionService.Target.conversation(id),
                            settings, "manual", Instant.now().plusSeconds(60));
                    if (r.committed().trigger() != null) {
                        // Another compaction committed between this one's read and its lease: answered with that one, no model called.
                        answeredByAnother.incrementAndGet();
                    } else {
                        long generation = r.committed().generation();
                        SummaryRecord record = services.store().compactions(TENANT, id, generation - 1, 1, true).get(0);
                        committed.add(new Committed(record, services.store().snapshot(TENANT, id)));
                    }
                } catch (ConcurrentCompactionException | NothingToCompactException e) {
                    refused.incrementAndGet();
                }
                // Spreads the compactions over the appends.
                appends.awaitBeyond(appends.count() + APPENDS_BETWEEN_COMPACTIONS);
            }
            return committed;
        };
    }

    /** System first, then the summary in context, then messages with consecutive sequence numbers up to the last appended. */
    private static void assertShape(Snapshot s) {
        List<Message> context = s.inContext();
        assertThat(context.get(0).role()).isEqualTo(Role.SYSTEM);
        assertThat(context.get(0).seq()).isZero();
        assertThat(context.get(1).role()).isEqualTo(Role.SUMMARY);
        assertThat(context.get(1).id()).isEqualTo(s.summaryRecord().messageId());
        List<Long> seqs = context.subList(2, context.size()).stream().map(Message::seq).toList();
        assertThat(seqs).containsExactlyElementsOf(
                IntStream.range(0, seqs.size()).mapToObj(i -> s.head().contextStartSeq() + i).toList());
        assertThat(s.head().contextStartSeq() + seqs.size()).isEqualTo(s.head().nextSeq());
    }

    private static List<Message> fullHistory(ConversationStore store, String id) {
        List<Message> all = new ArrayList<>();
        String after = null;
        while (true) {
            List<Message> page = store.history(TENANT, id, new HistoryQuery(after, null, 1000, true));
            if (page.isEmpty()) {
                return all;
            }
            all.addAll(page);
            after = page.get(page.size() - 1).id();
        }
    }

    private static Message turn(int i) {
        return Message.text(i % 2 == 0 ? Role.USER : Role.ASSISTANT, "turn " + i + " " + "x".repeat(ThreadLocalRandom.current().nextInt(200)));
    }

    /** The appends committed so far, for compactions to wait on instead of sleeping. */
    static final class Appends {
        private long committed;
        private int appendersLeft;

        Appends(int appenders) {
            this.appendersLeft = appenders;
        }

        synchronized void committed() {
            committed++;
            notifyAll();
        }

        synchronized void appenderDone() {
            appendersLeft--;
            notifyAll();
        }

        synchronized long count() {
            return committed;
        }

        /** Waits until more than {@code seen} appends have committed or every appender is done; true when they have. */
        synchronized boolean awaitBeyond(long seen) {
            long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            try {
                while (committed <= seen && appendersLeft > 0) {
                    long left = until - System.nanoTime();
                    if (left <= 0) {
                        throw new IllegalStateException("no append committed for a minute");
                    }
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return committed > seen;
        }
    }
}
