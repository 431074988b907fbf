package dev.compactor.batch;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.compactor.app.AwsClients;
import dev.compactor.app.Services;
import dev.compactor.conversation.DueState;
import dev.compactor.support.Env;
import dev.compactor.support.Log;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.crac.Core;
import org.crac.Resource;

/**
 * Lambda entry point for the schedule: sends the conversations the due index lists to the
 * compaction queue (see {@link Discovery}). The event is a {@link ScheduledEvent} whose
 * {@code detail} may bound the run, {@code {"max_conversations": N}}; the answer is what was sent.
 */
public final class DiscoveryHandler implements RequestHandler<ScheduledEvent, DiscoveryHandler.Sent>, Resource {
    static final int DEFAULT_MAX_CONVERSATIONS = 10_000;
    static final int MAX_CONVERSATIONS_LIMIT = 1_000_000;
    static final Duration DEFAULT_IDLE_QUIET = Duration.ofMinutes(120);
    static final Duration DEFAULT_REQUEUE_AFTER = Duration.ofMinutes(360);
    /** Time kept back from the Lambda's remaining time for the answer. */
    private static final Duration RESERVE = Duration.ofSeconds(10);

    /**
     * What a run sent, by why each conversation was listed. The runtime writes it with its own
     * mapper, so the answer's fields are named as the components are.
     *
     * @param queued conversations sent before and never compacted, sent again
     * @param movedOn listed conversations found compacted or reverted since, and not sent
     * @param moreLeft whether the run stopped at its bound or deadline with more listed
     */
    public record Sent(int sent, int due, int idle, int queued, int movedOn, boolean moreLeft) {}

    private final Discovery discovery;

    public DiscoveryHandler() {
        this(Services.fromEnvironment(Env.system()));
    }

    public DiscoveryHandler(Map<String, String> environment) {
        this(Services.fromEnvironment(new Env(environment)));
    }

    public DiscoveryHandler(Services services) {
        Env env = services.env();
        this.discovery = new Discovery(services.store(), SqsSender.compactionQueue(env, AwsClients.sqs(env)), services.clock(),
                minutes(env, Env.IDLE_QUIET_MINUTES, DEFAULT_IDLE_QUIET), minutes(env, Env.REQUEUE_AFTER_MINUTES, DEFAULT_REQUEUE_AFTER));
        Core.getGlobalContext().register(this);
    }

    @Override
    public Sent handleRequest(ScheduledEvent event, Context context) {
        return handle(event, Instant.now().plusMillis(context.getRemainingTimeInMillis()).minus(RESERVE));
    }

    /** Runs discovery for one schedule event; returns what it sent. */
    public Sent handle(ScheduledEvent event, Instant deadline) {
        int max = maxConversations(event);
        long started = System.nanoTime();
        Discovery.Report report = discovery.run(max, deadline);
        Sent sent = new Sent(report.total(), count(report, DueState.DUE), count(report, DueState.IDLE),
                count(report, DueState.QUEUED), report.movedOn(), report.stoppedEarly());
        Log.info("batch.discovery", "sent", sent.sent(), "due", sent.due(), "idle", sent.idle(), "requeued", sent.queued(),
                "moved_on", sent.movedOn(), "more_left", sent.moreLeft(), "duration_ms", (System.nanoTime() - started) / 1_000_000);
        return sent;
    }

    private static int count(Discovery.Report report, DueState state) {
        return report.sent().getOrDefault(state, 0);
    }

    /** The event's {@code detail.max_conversations}; the default when the event or its detail has none. */
    static int maxConversations(ScheduledEvent event) {
        Object max = event == null || event.getDetail() == null ? null : event.getDetail().get("max_conversations");
        if (max == null) {
            return DEFAULT_MAX_CONVERSATIONS;
        }
        if ((max instanceof Integer || max instanceof Long) && ((Number) max).longValue() >= 1
                && ((Number) max).longValue() <= MAX_CONVERSATIONS_LIMIT) {
            return ((Number) max).intValue();
        }
        throw new IllegalArgumentException("max_conversations must be an integer from 1 to " + MAX_CONVERSATIONS_LIMIT + ", got " + max);
    }

    /**
     * Before the SnapStart snapshot: read a scheduled event's bound and write and read a queue
     * message through the mapper, so the first run after a restore pays for neither. Nothing is
     * listed or sent.
     */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        try {
            ScheduledEvent event = new ScheduledEvent();
            event.setDetail(Map.of("max_conversations", 1));
            DueMessage.parse(new DueMessage("priming", "conv-00000000-0000-4000-8000-000000000000", 0, maxConversations(event),
                    DueState.DUE).toJson());
        } catch (RuntimeException e) {
            Log.warn("snapstart.priming_failed", "error", e.getClass().getSimpleName());
        }
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // Nothing to refresh: the clients reopen stale connections on first use.
    }

    private static Duration minutes(Env env, String name, Duration fallback) {
        double minutes = env.number(name, fallback.toMinutes());
        if (!(minutes >= 0)) {
            throw new IllegalStateException(name + " must be a number of minutes, got " + minutes);
        }
        return Duration.ofSeconds(Math.round(minutes * 60));
    }
}
