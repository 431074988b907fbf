package dev.compactor.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.compactor.conversation.ConversationPurges;
import dev.compactor.conversation.PurgeStatus;
import dev.compactor.events.EventPublisher;
import dev.compactor.support.LambdaInvoker;
import dev.compactor.support.Log;
import java.time.Instant;
import java.util.Optional;

/**
 * Purging conversations as the API and the worker run it. A purge is begun (the head tombstoned)
 * by the request; a conversation of at most {@code inlineMaxItems} items is then purged inline
 * (200), a larger one is handed to the worker function (202 with the receipt to poll). Whoever
 * runs it stops at its deadline and leaves the rest to the next run: DELETE again, or the worker's
 * redelivery. {@link #completed} is the one place a finished purge passes through.
 *
 * <p>An agent's purge is {@link #purge} for each of the agent's conversations.
 */
final class ConversationPurger {
    static final String EVENT_FIELD = "purge_conversation_id";

    private final ConversationPurges purges;
    private final EventPublisher events;
    private final LambdaInvoker worker;
    private final long inlineMaxItems;

    /**
     * @param worker the worker function, or null when this deployment has none (then every purge runs inline)
     * @param inlineMaxItems the largest conversation (in items) purged within the request
     */
    ConversationPurger(ConversationPurges purges, EventPublisher events, LambdaInvoker worker, long inlineMaxItems) {
        this.purges = purges;
        this.events = events;
        this.worker = worker;
        this.inlineMaxItems = inlineMaxItems;
    }

    /** Begins (or resumes) the purge of a conversation: 200 once purged, 202 while it goes on. */
    ApiResponse purge(RequestContext context, String conversationId) {
        PurgeStatus status = purges.begin(context.tenant(), conversationId);
        context.log().conversation(conversationId);
        if (!status.done() && worker != null && status.itemsAtStart() - status.itemsDeleted() > inlineMaxItems) {
            try {
                worker.invokeAsync(CompactionWorkerHandler.JobEvent.purgeConversation(context.tenant(), conversationId));
                context.log().outcome("purge_started");
                return answer(status);
            } catch (RuntimeException e) {
                // The tombstone is down, so nothing can write to the conversation any more; purge what the request's time allows.
                Log.error("purge.start_failed", "conversation_id", conversationId, "error", e.getMessage());
            }
        }
        if (!status.done()) {
            status = run(context.tenant(), conversationId, context.deadline());
        }
        context.log().outcome(status.status());
        return answer(status);
    }

    /** Deletes what is left of a begun purge until done or {@code deadline}; a purge found finished is not reported again. */
    PurgeStatus run(String tenant, String conversationId, Instant deadline) {
        Optional<PurgeStatus> finished = purges.status(tenant, conversationId).filter(PurgeStatus::done);
        if (finished.isPresent()) {
            return finished.get();
        }
        PurgeStatus status = purges.resume(tenant, conversationId, deadline);
        if (status.done()) {
            completed(status);
        } else {
            Log.warn("purge.unfinished", "tenant", tenant, "conversation_id", conversationId, "items_deleted", status.itemsDeleted());
        }
        return status;
    }

    /**
     * Where every finished purge passes, once (or twice, when two runs race to its end): logged,
     * and announced as {@code Conversation Purged}. Counts and ids only: a purge's report never
     * holds message text.
     */
    private void completed(PurgeStatus status) {
        Log.info("purge.completed", "tenant", status.tenant(), "conversation_id", status.conversationId(),
                "agent_id", status.agentId(), "items_deleted", status.itemsDeleted(), "started_at", status.startedAt().toString(),
                "finished_at", status.finishedAt().toString());
        events.publishPurged(status.tenant(), status.conversationId(), status.agentId(), status.generation(), status.itemsDeleted());
    }

    ApiResponse receipt(String tenant, String conversationId) {
        PurgeStatus status = purges.status(tenant, conversationId)
                .orElseThrow(() -> ApiException.detail(404, "No purge of conversation " + conversationId + " found"));
        return ApiResponse.json(200, view(status));
    }

    private static ApiResponse answer(PurgeStatus status) {
        ApiResponse response = ApiResponse.json(status.done() ? 200 : 202, view(status));
        return status.done() ? response : response.withHeader("Location", location(status.conversationId()));
    }

    static String location(String conversationId) {
        return "/v1/conversations/" + conversationId + "/purge";
    }

    /** A purge as the API shows it. */
    @JsonPropertyOrder({"conversation_id", "agent_id", "status", "items_at_start", "items_deleted", "started_at", "finished_at"})
    record PurgeView(
            @JsonProperty("conversation_id") String conversationId,
            @JsonProperty("agent_id") String agentId,
            String status,
            @JsonProperty("items_at_start") long itemsAtStart,
            @JsonProperty("items_deleted") long itemsDeleted,
            @JsonProperty("started_at") String startedAt,
            @JsonProperty("finished_at") String finishedAt) {}

    static PurgeView view(PurgeStatus s) {
        return new PurgeView(s.conversationId(), s.agentId(), s.status(), s.itemsAtStart(), s.itemsDeleted(), s.startedAt().toString(),
                s.finishedAt() == null ? null : s.finishedAt().toString());
    }
}
