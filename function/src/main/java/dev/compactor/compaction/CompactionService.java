package dev.compactor.compaction;

import dev.compactor.conversation.Agent;
import dev.compactor.conversation.AgentStore;
import dev.compactor.conversation.AgentNotFoundException;
import dev.compactor.conversation.Commit;
import dev.compactor.conversation.CompactionLease;
import dev.compactor.conversation.LeaseRenewal;
import dev.compactor.conversation.CompactionReport;
import dev.compactor.conversation.CompactionJob;
import dev.compactor.conversation.ConcurrentCompactionException;
import dev.compactor.conversation.ConversationFields;
import dev.compactor.conversation.ConversationHead;
import dev.compactor.conversation.ConversationNotFoundException;
import dev.compactor.conversation.IdempotencyClaim;
import dev.compactor.conversation.Ids;
import dev.compactor.conversation.LeaseHeartbeat;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.MessageStore;
import dev.compactor.conversation.ModelSettings;
import dev.compactor.conversation.Snapshot;
import dev.compactor.conversation.SummaryRecord;
import dev.compactor.events.CompactionCommitted;
import dev.compactor.events.EventPublisher;
import dev.compactor.events.Trigger;
import dev.compactor.llm.ModelHandle;
import dev.compactor.llm.SettingsFit;
import dev.compactor.llm.SummaryResult;
import dev.compactor.support.Log;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * The compact request end to end: resolve the conversation, merge settings over the agent's, read
 * a snapshot, compact it, and commit against the snapshot's generation with the call's usage record
 * and the job or Idempotency-Key it completes in the same transaction; then publish its event.
 */
public final class CompactionService {
    /** How far past its holder's deadline a lease may be renewed: the commit's own retries may land a moment after it. */
    static final Duration LEASE_MARGIN = Duration.ofSeconds(10);
    private final AgentStore agents;
    private final MessageStore store;
    private final Compactor compactor;
    private final ModelChoice models;
    private final Clock clock;
    private final AfterCommit afterCommit;
    private final EventPublisher events;
    private final BackgroundCompactionWait backgroundWait;
    private final CompactionHeartbeat heartbeat;

    public CompactionService(AgentStore agents, MessageStore store, Compactor compactor, ModelChoice models, Clock clock) {
        this(agents, store, compactor, models, clock, AfterCommit.NOTHING, EventPublisher.NONE);
    }

    /**
     * @param afterCommit runs after each commit, outside it (history retention)
     * @param events told of every committed compaction, after its commit
     */
    public CompactionService(AgentStore agents, MessageStore store, Compactor compactor, ModelChoice models, Clock clock,
                             AfterCommit afterCommit, EventPublisher events) {
        this(agents, store, compactor, models, clock, afterCommit, events, LeaseRenewal.COMPACTION);
    }

    /** @param renewal how long a compaction's lease runs and how often its heartbeat renews it */
    public CompactionService(AgentStore agents, MessageStore store, Compactor compactor, ModelChoice models, Clock clock,
                             AfterCommit afterCommit, EventPublisher events, LeaseRenewal renewal) {
        this.heartbeat = new CompactionHeartbeat(store, clock, renewal);
        this.afterCommit = afterCommit;
        this.agents = agents;
        this.store = store;
        this.compactor = compactor;
        this.models = models;
        this.clock = clock;
        this.backgroundWait = new BackgroundCompactionWait(store, clock);
        this.events = events;
    }

    /** The conversation to compact: a conversation id, or an agent id whose default conversation is meant. */
    public record Target(String conversationId, String agentId) {
        public static Target conversation(String id) {
            return new Target(id, null);
        }

        public static Target agentDefault(String agentId) {
            return new Target(null, agentId);
        }
    }

    /** Letta's {@code CompactionResponse} plus what we report about the compaction (its {@code compaction} object). */
    public record Result(String summary, int numMessagesBefore, int numMessagesAfter, Reported compaction) {
        /** @throws IllegalStateException for a dry run's result, which committed nothing */
        public Reported.Committed committed() {
            if (compaction instanceof Reported.Committed c) {
                return c;
            }
            throw new IllegalStateException("a dry run commits nothing");
        }
    }

    /**
     * The API call a compaction answers. What it records goes into the compaction's own commit
     * transaction: the call's usage record, the Idempotency-Key's response, the job's result.
     *
     * @param id the request id of a request, the job id of an asynchronous job
     * @param startedAt when the call started; its latency runs from here
     * @param claim the Idempotency-Key claim to complete, or null
     * @param job the job (as its worker claimed it) this compaction runs, or null for a request
     * @param responseJson renders the response body kept for replays and as the job's result
     * @param sdkFingerprint the request's fingerprint when it came from Letta's SDK without an
     *     Idempotency-Key (its answer is then kept for the SDK's resends), else null
     * @param expectedGeneration the compaction generation the conversation must still be at (a
     *     resend commits only if its first attempt did not), or null
     */
    public record Call(String id, Instant startedAt, IdempotencyClaim claim, CompactionJob job,
                       Function<Result, String> responseJson, String sdkFingerprint, Long expectedGeneration) {
        public Call(String id, Instant startedAt, IdempotencyClaim claim, CompactionJob job, Function<Result, String> responseJson) {
            this(id, startedAt, claim, job, responseJson, null, null);
        }
    }

    /**
     * What a resend of an SDK call finds: the conversation's compaction generation now, and the
     * answer of the call's own earlier attempt when that attempt committed and nothing compacted
     * the conversation since (then the resend replays it).
     *
     * @param generation null when the conversation does not exist (the compaction answers 404)
     */
    public record Resend(Long generation, String replayJson) {}

    /**
     * Looks for an earlier attempt of the SDK call {@code fingerprint}. The generation is read
     * before the attempt's answer: an attempt that commits after that read makes this resend's
     * commit, conditional on the generation read, a 409 rather than a second compaction.
     */
    public Resend resend(String tenant, Target target, String fingerprint) {
        String conversationId = target.conversationId() != null ? target.conversationId() : target.agentId();
        Long generation = store.findConversation(tenant, conversationId).map(ConversationHead::compactionGen).orElse(null);
        if (generation == null) {
            return new Resend(null, null);
        }
        return store.committedSdkCall(tenant, fingerprint)
                .filter(done -> done.conversationId().equals(conversationId) && done.generation() == generation)
                .map(done -> new Resend(generation, done.responseJson()))
                .orElse(new Resend(generation, null));
    }

    /**
     * What a request resolves to before any planning: the conversation, its agent (with the
     * conversation's own model and context window laid over the agent's), the effective settings.
     */
    private record Resolved(String conversationId, Agent agent, CompactionSettings settings, ModelSettings agentModelSettings) {
        Resolved(String conversationId, Agent agent, CompactionSettings settings, ConversationFields fields) {
            // Letta lays a conversation's model_settings over the agent's model only with the conversation's own model.
            this(conversationId, agent, settings, fields.model() == null ? null : fields.modelSettings());
        }
    }

    private Resolved resolve(String tenant, Target target, CompactionSettings requested) {
        String conversationId;
        Agent agent;
        ConversationFields fields = ConversationFields.NONE;
        if (target.agentId() != null) {
            agent = agents.findAgent(tenant, target.agentId()).orElseThrow(() -> new AgentNotFoundException(target.agentId()));
            conversationId = agent.id();
        } else {
            conversationId = target.conversationId();
            ConversationHead head = store.findConversation(tenant, conversationId)
                    .orElseThrow(() -> new ConversationNotFoundException(conversationId));
            fields = head.fields();
            agent = fields.over(agents.findAgent(tenant, head.agentId()).orElseThrow(() -> new AgentNotFoundException(head.agentId())));
        }
        return new Resolved(conversationId, agent, CompactionSettings.merge(storedSettings(agent), requested), fields);
    }

    /** A resolved request with the conversation's snapshot. */
    private record Loaded(Resolved resolved, Snapshot snapshot) {}

    /**
     * Resolves the request and reads the conversation. A conversation id is read first, so its
     * head (which names the agent) is read once, not once to find the agent and again for the
     * snapshot.
     */
    private Loaded load(String tenant, Target target, CompactionSettings requested) {
        if (target.agentId() != null) {
            Resolved resolved = resolve(tenant, target, requested);
            return new Loaded(resolved, store.snapshot(tenant, resolved.conversationId()));
        }
        Snapshot snapshot = store.snapshot(tenant, target.conversationId());
        String agentId = snapshot.head().agentId();
        ConversationFields fields = snapshot.head().fields();
        Agent agent = fields.over(agents.findAgent(tenant, agentId).orElseThrow(() -> new AgentNotFoundException(agentId)));
        return new Loaded(new Resolved(target.conversationId(), agent, CompactionSettings.merge(storedSettings(agent), requested),
                fields), snapshot);
    }

    /**
     * The compactor's input, with the settings judged for the model each mode calls (what it cannot
     * take is dropped): the compaction settings' for the summarizer, the conversation's for the
     * agent's own model in a self-compaction.
     */
    private Judged input(Resolved r, List<Message> context, String trigger, Instant deadline) {
        ModelHandle summarizerModel = models.summarizer(r.settings(), r.agent().model());
        ModelHandle agentModel = ModelHandle.parse(r.agent().model());
        SettingsJudge.Judgement judgement = SettingsJudge.apply(r.settings(), summarizerModel);
        SettingsFit.Judged own = agentModel == null ? new SettingsFit.Judged(null, List.of())
                : SettingsJudge.forModel(agentModel, r.agentModelSettings());
        return new Judged(new Compactor.Input(context, judgement.settings(), summarizerModel, agentModel, own.settings(),
                r.agent().contextWindow(), r.agent().timezone(), trigger, deadline), judgement.notApplied(), own.notApplied());
    }

    /**
     * @param notApplied the summarizer's {@code model_settings} fields dropped
     * @param selfNotApplied the conversation's {@code model_settings} fields the agent's model cannot take
     */
    private record Judged(Compactor.Input input, List<String> notApplied, List<String> selfNotApplied) {}

    /** The fields dropped from the settings of the model the plan's mode called. */
    private static List<String> notApplied(Judged judged, Plan plan) {
        return plan.mode().isSelf() ? judged.selfNotApplied() : judged.notApplied();
    }

    /** The model this deployment picks summarizers with (and stores at agent creation). */
    public ModelChoice models() {
        return models;
    }

    /**
     * Checks that {@code target} exists for the tenant and that its agent's stored settings read,
     * before an asynchronous job is queued for it.
     *
     * @return the conversation the target resolves to
     * @throws ConversationNotFoundException or {@link AgentNotFoundException} when it does not exist
     */
    public String requireTarget(String tenant, Target target) {
        return resolve(tenant, target, null).conversationId();
    }

    public Result compact(String tenant, Target target, CompactionSettings requested, String trigger, Instant deadline) {
        return compact(tenant, target, requested, trigger, deadline, null);
    }

    /**
     * @param call the API call this compaction answers (metered, and completing its key or job with
     *     the commit), or null for an unmetered compaction
     * @throws DeadlineExceededException when the summary arrives after {@code deadline}; nothing is written
     */
    public Result compact(String tenant, Target target, CompactionSettings requested, String trigger, Instant deadline,
                          Call call) {
        return compact(tenant, target, requested, trigger, Trigger.MANUAL, deadline, call,
                call == null ? null : call.expectedGeneration());
    }

    /**
     * Compacts with the agent's stored settings only if the conversation is still at compaction
     * {@code generation}, so that work handed out for one generation is done at most once.
     *
     * @param eventTrigger what its event names as the trigger
     * @throws ConcurrentCompactionException when the conversation has moved past {@code generation}
     */
    public Result compactAtGeneration(String tenant, String conversationId, long generation, String trigger, Trigger eventTrigger,
                                      Instant deadline) {
        return compact(tenant, Target.conversation(conversationId), null, trigger, eventTrigger, deadline, null, generation);
    }

    /**
     * Compacts under the generation's lease (see {@link CompactionLease}), so that one model call
     * runs per generation: a background compaction that finds another's live lease skips
     * ({@link CompactionInProgressException}); a client's call that finds a background one waits
     * for it and answers with its result when the call sent no settings of its own (with settings,
     * it compacts the next generation itself), and takes over a lease that ran out (its holder
     * crashed: its heartbeat stopped renewing it) or was released (its compaction failed).
     */
    private Result compact(String tenant, Target target, CompactionSettings requested, String trigger, Trigger eventTrigger,
                           Instant deadline, Call call, Long expectedGeneration) {
        CompactionLease.Holder holder = switch (eventTrigger) {
            case DUE -> CompactionLease.Holder.DUE;
            case SCHEDULE -> CompactionLease.Holder.SCHEDULE;
            case MANUAL -> call != null && call.job() != null ? CompactionLease.Holder.JOB : CompactionLease.Holder.MANUAL;
        };
        String leaseId = UUID.randomUUID().toString();
        while (true) {
            Loaded loaded = load(tenant, target, requested);
            String conversationId = loaded.resolved().conversationId();
            long generation = loaded.snapshot().head().compactionGen();
            if (expectedGeneration != null && generation != expectedGeneration) {
                throw new ConcurrentCompactionException(conversationId);
            }
            Instant limit = deadline.plus(LEASE_MARGIN);
            CompactionLease lease = heartbeat.lease(generation, holder, leaseId, limit);
            boolean ownSettings = requested != null && !requested.fieldsSet().isEmpty();
            Optional<CompactionLease> running;
            try {
                running = store.takeLease(tenant, conversationId, lease);
            } catch (ConcurrentCompactionException moved) {
                if (holder.background() || expectedGeneration != null || ownSettings) {
                    throw moved;
                }
                // Committed between this call's read and its lease, so this call paid for no model: answer with it.
                return backgroundWait.committedMeanwhile(tenant, conversationId, loaded.snapshot(), loaded.resolved().agent(),
                        generation, call);
            }
            if (running.isEmpty()) {
                boolean committed = false;
                try (LeaseHeartbeat alive = heartbeat.start(tenant, conversationId, lease, limit)) {
                    Result result = compactHolding(tenant, loaded, trigger, eventTrigger, deadline, call);
                    committed = true;
                    return result;
                } finally {
                    if (!committed) {
                        release(tenant, conversationId, lease);
                    }
                }
            }
            if (holder.background()) {
                throw new CompactionInProgressException(conversationId, running.get().holder());
            }
            Optional<Result> theirs = backgroundWait.await(tenant, loaded.resolved().conversationId(), loaded.snapshot(),
                    loaded.resolved().agent(), running.get(), ownSettings, deadline, call);
            if (theirs.isPresent()) {
                return theirs.get();
            }
        }
    }

    /** A failed compaction's lease goes at once, so a waiting request takes over without waiting for it to run out. */
    private void release(String tenant, String conversationId, CompactionLease lease) {
        try {
            store.releaseLease(tenant, conversationId, lease);
        } catch (RuntimeException e) {
            Log.warn("compaction.lease_release_failed", "conversation_id", conversationId, "error", e.getClass().getSimpleName());
        }
    }

    /** Compacts what {@code loaded} read, holding its generation's lease. */
    private Result compactHolding(String tenant, Loaded loaded, String trigger, Trigger eventTrigger, Instant deadline, Call call) {
        Resolved resolved = loaded.resolved();
        String conversationId = resolved.conversationId();
        Snapshot snapshot = loaded.snapshot();
        List<Message> context = snapshot.inContext();
        Judged judged = input(resolved, context, trigger, deadline);
        Compactor.Outcome outcome = compactor.compact(judged.input());

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
        SummaryResult summarized = outcome.result();
        CompactionReport report = new CompactionReport(plan.mode().wire(), summarized.model().toString(), summarized.source(),
                outcome.fallbacks(), outcome.tokenCounter(), CallRecords.usage(summarized), CallRecords.failover(summarized.failover()), plan.tokensBefore(),
                plan.tokensAfter() + outcome.summaryTokens(), outcome.gates(), notApplied(judged, plan));
        SummaryRecord record = new SummaryRecord(generation, head.summaryGen(), Ids.newMessageId(),
                outcome.packedText(), outcome.summary(), coveredFrom, keptFromSeq - 1, keptFromSeq,
                outcome.modeRequested().wire(), plan.mode().wire(), summarized.model().toString(),
                summarized.source(), Prompts.hash(outcome.prompt()), outcome.summaryTokens(), clock.instant(), report,
                eventTrigger.wire());
        Commit commit = new Commit(head.compactionGen(), record, keptFromSeq, delta, head.contextTokens() + delta, resolved.agent());

        Result result = new Result(outcome.summary(), plan.numBefore(), plan.numAfter(),
                new Reported.Committed(report, generation, conversationId));
        Instant now = clock.instant();
        if (!now.isBefore(deadline)) {
            throw new DeadlineExceededException();
        }
        if (call != null) {
            commit = CallRecords.answering(commit, tenant, call, result, CallRecords.usage(tenant, call, conversationId, report, now, true));
        }
        store.commit(tenant, conversationId, commit);
        try {
            afterCommit.committed(tenant, conversationId, resolved.agent());
        } catch (RuntimeException e) {
            // Committed all the same: the next compaction's follow-up releases this one's history too.
            Log.warn("compaction.after_commit_failed", "conversation_id", conversationId, "error", e.getClass().getSimpleName());
        }
        events.publish(new CompactionCommitted(tenant, conversationId, resolved.agent().id(), generation, eventTrigger,
                report.modeUsed(), plan.numBefore(), plan.numAfter(), report.tokensBefore(), report.tokensAfter(), report.model()));
        return result;
    }

    /**
     * The dry run ({@code ?dry_run=true}): the same resolution, validation and planning as
     * {@link #compact}, then the plan instead of a model call; nothing is written. A conversation
     * with nothing to compact still answers Letta's 400.
     *
     * @return a result whose summary is empty and whose compaction is the plan (see {@link PlanReport})
     */
    public Result dryRun(String tenant, Target target, CompactionSettings requested, String trigger, Instant deadline) {
        Loaded loaded = load(tenant, target, requested);
        Resolved resolved = loaded.resolved();
        Snapshot snapshot = loaded.snapshot();
        Compactor.Preview preview = compactor.preview(input(resolved, snapshot.inContext(), trigger, deadline).input());
        return new Result("", preview.plan().numBefore(), preview.plan().numAfter(),
                new Reported.DryRun(PlanReport.of(preview), resolved.conversationId(), snapshot.head().compactionGen()));
    }

    private static CompactionSettings storedSettings(Agent agent) {
        return agent.compactionSettings() == null ? null : CompactionSettings.fromStored(agent.compactionSettings());
    }
}
