package dev.compactor.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.compactor.conversation.AgentPurgeStatus;
import dev.compactor.conversation.AgentPurges;
import dev.compactor.conversation.ConversationNotFoundException;
import dev.compactor.conversation.ConversationPurges;
import dev.compactor.conversation.PurgeStatus;
import dev.compactor.support.LambdaInvoker;
import dev.compactor.support.Log;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Purging agents as the API and the worker run it: the agent is tombstoned (no conversation can be
 * created or forked for it from then on), each of its conversations is purged exactly as
 * {@link ConversationPurger} purges one (its own receipt and {@code Conversation Purged} event),
 * and the agent item goes last. An agent whose conversations hold at most {@code inlineMaxItems}
 * items (and not more than {@link #INLINE_MAX_CONVERSATIONS} conversations) is purged within the
 * request (200); a larger one is handed to the worker (202 with the receipt to poll). Whoever runs
 * it stops at its deadline; DELETE again or the worker's redelivery resumes from the tombstone.
 */
final class AgentPurger {
    static final String EVENT_FIELD = "purge_agent_id";
    /** Beyond this many conversations the request does not even tombstone them all itself: the worker does. */
    static final int INLINE_MAX_CONVERSATIONS = 25;

    private final AgentPurges agents;
    private final ConversationPurges conversations;
    private final ConversationPurger purger;
    private final LambdaInvoker worker;
    private final long inlineMaxItems;
    private final Clock clock;

    /** @param worker the worker function, or null when this deployment has none (then every purge runs inline) */
    AgentPurger(AgentPurges agents, ConversationPurges conversations, ConversationPurger purger, LambdaInvoker worker,
                long inlineMaxItems, Clock clock) {
        this.agents = agents;
        this.conversations = conversations;
        this.purger = purger;
        this.worker = worker;
        this.inlineMaxItems = inlineMaxItems;
        this.clock = clock;
    }

    /** Begins (or resumes) the purge of an agent: 200 once purged, 202 while it goes on. */
    ApiResponse purge(RequestContext context, String agentId) {
        String tenant = context.tenant();
        AgentPurgeStatus status = agents.begin(tenant, agentId);
        context.log().put("agent_id", agentId);
        if (!status.done() && worker != null && large(tenant, agents.conversations(tenant, agentId))) {
            try {
                worker.invokeAsync(CompactionWorkerHandler.JobEvent.purgeAgent(tenant, agentId));
                context.log().put("outcome", "purge_started");
                return answer(status);
            } catch (RuntimeException e) {
                // The agent is tombstoned: nothing new can be created for it; purge what the request's time allows.
                Log.error("purge.start_failed", "agent_id", agentId, "error", e.getMessage());
            }
        }
        if (!status.done()) {
            status = run(tenant, agentId, context.deadline());
        }
        context.log().put("outcome", status.status());
        return answer(status);
    }

    /** Whether the conversations left are more than a request purges itself; tombstones them while it counts. */
    private boolean large(String tenant, List<String> ids) {
        if (ids.size() > INLINE_MAX_CONVERSATIONS) {
            return true;
        }
        long items = 0;
        for (String id : ids) {
            try {
                PurgeStatus begun = conversations.begin(tenant, id);
                items += begun.done() ? 0 : begun.itemsAtStart() - begun.itemsDeleted();
            } catch (ConversationNotFoundException e) {
                // Purged on its own meanwhile.
            }
            if (items > inlineMaxItems) {
                return true;
            }
        }
        return false;
    }

    /** Purges what is left of a begun agent purge until done or {@code deadline}. */
    AgentPurgeStatus run(String tenant, String agentId, Instant deadline) {
        AgentPurgeStatus status = agents.status(tenant, agentId).orElseThrow();
        if (status.done()) {
            return status;
        }
        for (String id : agents.conversations(tenant, agentId)) {
            if (!clock.instant().isBefore(deadline)) {
                Log.warn("purge.unfinished", "tenant", tenant, "agent_id", agentId);
                return status;
            }
            try {
                conversations.begin(tenant, id);
                if (!purger.run(tenant, id, deadline).done()) {
                    Log.warn("purge.unfinished", "tenant", tenant, "agent_id", agentId, "conversation_id", id);
                    return status;
                }
            } catch (ConversationNotFoundException e) {
                // Purged on its own meanwhile.
            }
        }
        status = agents.finish(tenant, agentId);
        Log.info("purge.agent_completed", "tenant", tenant, "agent_id", agentId, "started_at", status.startedAt().toString(),
                "finished_at", status.finishedAt().toString());
        return status;
    }

    ApiResponse receipt(String tenant, String agentId) {
        AgentPurgeStatus status = agents.status(tenant, agentId)
                .orElseThrow(() -> ApiException.detail(404, "No purge of agent " + agentId + " found"));
        return ApiResponse.json(200, view(status));
    }

    private static ApiResponse answer(AgentPurgeStatus status) {
        ApiResponse response = ApiResponse.json(status.done() ? 200 : 202, view(status));
        return status.done() ? response : response.withHeader("Location", "/v1/agents/" + status.agentId() + "/purge");
    }

    /** An agent's purge as the API shows it (each conversation's own receipt is at its {@code …/purge}). */
    @JsonPropertyOrder({"agent_id", "status", "started_at", "finished_at"})
    record AgentPurgeView(@JsonProperty("agent_id") String agentId, String status, @JsonProperty("started_at") String startedAt,
                          @JsonProperty("finished_at") String finishedAt) {}

    static AgentPurgeView view(AgentPurgeStatus s) {
        return new AgentPurgeView(s.agentId(), s.status(), s.startedAt().toString(), s.finishedAt() == null ? null : s.finishedAt().toString());
    }
}
