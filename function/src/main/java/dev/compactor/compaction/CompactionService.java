package dev.compactor.compaction;

import dev.compactor.conversation.Agent;
import dev.compactor.conversation.AgentNotFoundException;
import dev.compactor.conversation.Commit;
import dev.compactor.conversation.ConversationHead;
import dev.compactor.conversation.ConversationNotFoundException;
import dev.compactor.conversation.ConversationStore;
import dev.compactor.conversation.Ids;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.Snapshot;
import dev.compactor.conversation.SummaryRecord;
import dev.compactor.input.Fields;
import dev.compactor.llm.ModelHandle;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The compact request end to end: resolve the conversation, merge settings over the agent's,
 * read a snapshot, compact it, and commit against the snapshot's generation.
 */
public final class CompactionService {
    private final ConversationStore store;
    private final Compactor compactor;
    private final ModelChoice models;
    private final Clock clock;

    public CompactionService(ConversationStore store, Compactor compactor, ModelChoice models, Clock clock) {
        this.store = store;
        this.compactor = compactor;
        this.models = models;
        this.clock = clock;
    }

    /**
     * The conversation to compact: a conversation id, or (agent-direct mode) an agent id whose
     * default conversation is meant.
     */
    public record Target(String conversationId, String agentId) {
        public static Target conversation(String id) {
            return new Target(id, null);
        }

        public static Target agentDefault(String agentId) {
            return new Target(null, agentId);
        }
    }

    /** Letta's {@code CompactionResponse} plus what we record about the compaction. */
    public record Result(String summary, int numMessagesBefore, int numMessagesAfter, Map<String, Object> details) {}

    public Result compact(String tenant, Target target, CompactionSettings requested, String trigger, Instant deadline) {
        String conversationId;
        Agent agent;
        if (target.agentId() != null) {
            agent = store.findAgent(tenant, target.agentId()).orElseThrow(() -> new AgentNotFoundException(target.agentId()));
            conversationId = agent.id();
        } else {
            conversationId = target.conversationId();
            ConversationHead head = store.findConversation(tenant, conversationId)
                    .orElseThrow(() -> new ConversationNotFoundException(conversationId));
            agent = store.findAgent(tenant, head.agentId()).orElseThrow(() -> new AgentNotFoundException(head.agentId()));
        }
        CompactionSettings settings = CompactionSettings.merge(storedSettings(agent), requested);
        Snapshot snapshot = store.snapshot(tenant, conversationId);
        List<Message> context = snapshot.inContext();
        ModelHandle summarizerModel = models.summarizer(settings, agent.model());
        Compactor.Outcome outcome = compactor.compact(new Compactor.Input(context, settings, summarizerModel,
                ModelHandle.parse(agent.model()), agent.contextWindow(), agent.timezone(), trigger, deadline));

        Plan plan = outcome.plan();
        ConversationHead head = snapshot.head();
        long keptFromSeq = plan.keptFrom() < context.size() ? context.get(plan.keptFrom()).seq() : head.nextSeq();
        long evictedTokens = 0;
        for (Message m : snapshot.tail()) {
            if (m.seq() < keptFromSeq) {
                evictedTokens += m.tokens();
            }
        }
        long oldSummaryTokens = snapshot.summary() == null ? 0 : snapshot.summary().tokens();
        long delta = outcome.summaryTokens() - oldSummaryTokens - evictedTokens;
        long generation = head.compactionGen() + 1;
        long coveredFrom = snapshot.summaryRecord() != null ? snapshot.summaryRecord().coveredFromSeq() : 1;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("mode_used", plan.mode().wire());
        details.put("model", outcome.result().model().toString());
        details.put("source", outcome.result().source());
        details.put("fallbacks", outcome.fallbacks());
        details.put("usage", outcome.result().usageDetails());
        if (outcome.result().failover() != null) {
            details.put("failover", outcome.result().failoverDetails());
        }
        details.put("tokens_before", plan.tokensBefore());
        details.put("tokens_after", plan.tokensAfter() + outcome.summaryTokens());
        SummaryRecord record = new SummaryRecord(generation, head.summaryGen(), Ids.newMessageId(),
                outcome.packedText(), outcome.summary(), coveredFrom, keptFromSeq - 1, keptFromSeq,
                outcome.modeRequested().wire(), plan.mode().wire(), outcome.result().model().toString(),
                outcome.result().source(), Prompts.hash(outcome.prompt()), outcome.summaryTokens(), clock.instant(), details);
        long contextTokensAfter = head.contextTokens() + delta;
        store.commit(tenant, conversationId, new Commit(head.compactionGen(), record, keptFromSeq, delta,
                head.dueThreshold() > 0 && contextTokensAfter >= head.dueThreshold()));

        Map<String, Object> response = new LinkedHashMap<>(details);
        response.put("generation", generation);
        response.put("conversation_id", conversationId);
        return new Result(outcome.summary(), plan.numBefore(), plan.numAfter(), response);
    }

    private static CompactionSettings storedSettings(Agent agent) {
        if (agent.compactionSettings() == null) {
            return null;
        }
        Fields fields = new Fields();
        CompactionSettings stored = SettingsParser.parse(agent.compactionSettings(), List.of("agent", "compaction_settings"), fields);
        if (stored == null) {
            throw new IllegalStateException("agent " + agent.id() + " has unreadable stored compaction settings");
        }
        return stored;
    }
}
