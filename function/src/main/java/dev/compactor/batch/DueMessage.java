package dev.compactor.batch;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.compactor.conversation.DueConversation;
import dev.compactor.conversation.DueState;
import dev.compactor.conversation.Ids;
import dev.compactor.events.Trigger;
import dev.compactor.support.JsonMapper;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The queue message for one unit of scheduled work: a conversation at a compaction generation,
 * with the context estimate and the reason discovery saw.
 *
 * <pre>{"tenant": "…", "conversation_id": "conv-…", "generation": 3, "context_tokens": 181234, "listed_as": "due",
 *  "trigger": "schedule"}</pre>
 *
 * @param listedAs {@code due}, {@code idle} or {@code queued} (sent before and never compacted)
 * @param trigger who sent it: {@code due} (the due stream) or {@code schedule} (discovery; also when absent)
 */
public record DueMessage(String tenant, String conversationId, long generation, long contextTokens, DueState listedAs,
                         Trigger trigger) {
    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    /** A message discovery sends. */
    public DueMessage(String tenant, String conversationId, long generation, long contextTokens, DueState listedAs) {
        this(tenant, conversationId, generation, contextTokens, listedAs, Trigger.SCHEDULE);
    }

    public static DueMessage of(DueConversation due) {
        return of(due, Trigger.SCHEDULE);
    }

    public static DueMessage of(DueConversation due, Trigger trigger) {
        return new DueMessage(due.tenant(), due.conversationId(), due.generation(), due.contextTokens(), due.listedAs(), trigger);
    }

    public String toJson() {
        ObjectNode json = JsonMapper.MAPPER.createObjectNode();
        json.put("tenant", tenant);
        json.put("conversation_id", conversationId);
        json.put("generation", generation);
        json.put("context_tokens", contextTokens);
        json.put("listed_as", listedAs.name().toLowerCase(Locale.ROOT));
        json.put("trigger", trigger.wire());
        return json.toString();
    }

    /** @throws IllegalArgumentException saying what is wrong with the body */
    public static DueMessage parse(String body) {
        JsonNode json;
        try {
            json = body == null ? null : JsonMapper.MAPPER.readTree(body);
        } catch (JacksonException e) {
            json = null;
        }
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("the message body is not a JSON object");
        }
        String tenant = json.path("tenant").textValue();
        if (tenant == null || !TENANT.matcher(tenant).matches()) {
            throw new IllegalArgumentException("tenant must be 1 to 64 letters, digits, '_', '.' or '-'");
        }
        String id = json.path("conversation_id").textValue();
        if (id == null || id.equals("default") || !Ids.isConversationIdOrDefault(id)) {
            throw new IllegalArgumentException("conversation_id must be a conv-<uuid4> or agent-<uuid4> id");
        }
        long generation = count(json, "generation");
        long tokens = count(json, "context_tokens");
        DueState listedAs;
        try {
            listedAs = DueState.valueOf(String.valueOf(json.path("listed_as").textValue()).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            listedAs = DueState.NONE;
        }
        if (listedAs == DueState.NONE) {
            throw new IllegalArgumentException("listed_as must be due, idle or queued");
        }
        JsonNode sentBy = json.path("trigger");
        Trigger trigger;
        if (sentBy.isMissingNode() || sentBy.isNull()) {
            trigger = Trigger.SCHEDULE;
        } else if (Trigger.DUE.wire().equals(sentBy.textValue())) {
            trigger = Trigger.DUE;
        } else if (Trigger.SCHEDULE.wire().equals(sentBy.textValue())) {
            trigger = Trigger.SCHEDULE;
        } else {
            throw new IllegalArgumentException("trigger must be due or schedule");
        }
        return new DueMessage(tenant, id, generation, tokens, listedAs, trigger);
    }

    private static long count(JsonNode json, String field) {
        JsonNode n = json.path(field);
        if (n.isIntegralNumber() && n.canConvertToLong() && n.longValue() >= 0) {
            return n.longValue();
        }
        throw new IllegalArgumentException(field + " must be a non-negative integer");
    }
}
