package dev.compactor.api;

import dev.compactor.compaction.SettingsParser;
import dev.compactor.conversation.ConversationFields;
import dev.compactor.input.FieldError;
import dev.compactor.input.Fields;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * Letta's {@code CreateConversation} and {@code UpdateConversation} bodies. {@code model},
 * {@code model_settings} and {@code context_window_limit} are judged as the agent routes judge
 * them. As in Letta, a field sent as null leaves the stored value as it is. Accepted and not
 * kept: {@code isolated_block_labels} (no memory blocks here) and {@code last_message_at} (ours is
 * the last append or compaction).
 */
final class ConversationBody {
    private ConversationBody() {}

    /** The fields a body sent, validated; null where absent or null. */
    record Patch(String summary, String description, Boolean archived, String model, Map<String, Object> modelSettings,
                 Integer contextWindowLimit, boolean hidden) {

        /** The stored fields with every field sent laid over them; archiving records when. */
        ConversationFields applyTo(ConversationFields stored, Instant now) {
            boolean nowArchived = archived != null ? archived : stored.archived();
            Instant archivedAt = !nowArchived ? null : stored.archived() ? stored.archivedAt() : now;
            return new ConversationFields(summary != null ? summary : stored.summary(),
                    description != null ? description : stored.description(), nowArchived, archivedAt,
                    model != null ? model : stored.model(), modelSettings != null ? modelSettings : stored.modelSettings(),
                    contextWindowLimit != null ? contextWindowLimit : stored.contextWindowLimit());
        }
    }

    /** A create body ({@code hidden} allowed) or an update body ({@code archived}, {@code last_message_at} allowed). */
    static Patch read(Map<String, Object> body, boolean update) {
        Fields fields = new Fields();
        String summary = fields.string(body.get("summary"), loc("summary"));
        String description = fields.string(body.get("description"), loc("description"));
        String model = fields.string(body.get("model"), loc("model"));
        if (model != null) {
            AgentFields.checkModel(model, fields);
        }
        Map<String, Object> modelSettings = SettingsParser.modelSettings(body.get("model_settings"), loc("model_settings"), fields);
        Long window = AgentFields.contextWindow(body, fields);
        Boolean archived = null;
        boolean hidden = false;
        if (update) {
            archived = fields.bool(body.get("archived"), loc("archived"));
            dateTime(body.get("last_message_at"), fields);
        } else {
            hidden = Boolean.TRUE.equals(fields.bool(body.get("hidden"), loc("hidden")));
            labels(body.get("isolated_block_labels"), fields);
        }
        fields.throwIfInvalid();
        return new Patch(summary, description, archived, model, modelSettings, window == null ? null : window.intValue(), hidden);
    }

    private static List<Object> loc(String field) {
        return List.of("body", field);
    }

    private static void dateTime(Object raw, Fields fields) {
        String text = fields.string(raw, loc("last_message_at"));
        if (text == null) {
            return;
        }
        try {
            OffsetDateTime.parse(text);
        } catch (DateTimeParseException withoutOffset) {
            try {
                LocalDateTime.parse(text);
            } catch (DateTimeParseException e) {
            fields.fail(FieldError.of("datetime_from_date_parsing", loc("last_message_at"),
                        "Input should be a valid datetime or date, invalid character in year", raw));
            }
        }
    }

    private static void labels(Object raw, Fields fields) {
        if (raw == null) {
            return;
        }
        if (!(raw instanceof List<?> list)) {
            fields.fail(FieldError.of("list_type", loc("isolated_block_labels"), "Input should be a valid list", raw));
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            fields.string(list.get(i), List.of("body", "isolated_block_labels", i));
        }
    }
}
