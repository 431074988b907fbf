package dev.compactor.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.compactor.compaction.SettingsJudge;
import dev.compactor.conversation.ConversationFields;
import dev.compactor.conversation.ModelSettings;
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
 * them. As in Letta, a field sent as null leaves the stored value as it is. Unlike Letta, texts are
 * bounded ({@link #MAX_TEXT}): the head that carries them is rewritten by every append. Accepted and not
 * kept: {@code isolated_block_labels} (no memory blocks here) and {@code last_message_at} (ours is
 * the last append or compaction).
 */
final class ConversationBody {
    /**
     * Bounds on what the conversation's head carries (code points, as pydantic counts): every append
     * rewrites the head in its transaction, which sets aside a fixed share of DynamoDB's 4 MB for it.
     */
    static final int MAX_TEXT = 2_000;
    static final int MAX_MODEL = 256;
    static final int MAX_MODEL_SETTINGS_JSON = 4_000;

    private ConversationBody() {}

    /** The fields a body sent, validated; null where absent or null. */
    record Patch(String summary, String description, Boolean archived, String model, ModelSettings modelSettings,
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
    static Patch read(ObjectNode body, boolean update) {
        Fields fields = new Fields();
        String summary = bounded(fields.string(Bodies.value(body, "summary"), loc("summary")), MAX_TEXT, "summary", fields);
        String description = bounded(fields.string(Bodies.value(body, "description"), loc("description")), MAX_TEXT, "description", fields);
        String model = bounded(fields.string(Bodies.value(body, "model"), loc("model")), MAX_MODEL, "model", fields);
        if (model != null) {
            AgentFields.checkModel(model, fields);
        }
        ModelSettings modelSettings = SettingsJudge.readModelSettings(Bodies.value(body, "model_settings"), loc("model_settings"), fields);
        if (modelSettings != null && modelSettings.toJson().codePoints().count() > MAX_MODEL_SETTINGS_JSON) {
            fields.fail(FieldError.of("value_error", loc("model_settings"), "Value error, model_settings may take at most "
                    + MAX_MODEL_SETTINGS_JSON + " characters as JSON", Bodies.value(body, "model_settings")));
        }
        Long window = AgentFields.contextWindow(body, fields);
        Boolean archived = null;
        boolean hidden = false;
        if (update) {
            archived = fields.bool(Bodies.value(body, "archived"), loc("archived"));
            dateTime(Bodies.value(body, "last_message_at"), fields);
        } else {
            hidden = Boolean.TRUE.equals(fields.bool(Bodies.value(body, "hidden"), loc("hidden")));
            labels(Bodies.value(body, "isolated_block_labels"), fields);
        }
        fields.throwIfInvalid();
        return new Patch(summary, description, archived, model, modelSettings, window == null ? null : window.intValue(), hidden);
    }

    private static List<Object> loc(String field) {
        return List.of("body", field);
    }

    /** The text, or null with pydantic's {@code string_too_long} when it has more than {@code max} code points. */
    private static String bounded(String text, int max, String field, Fields fields) {
        if (text != null && text.codePointCount(0, text.length()) > max) {
            fields.fail(new FieldError("string_too_long", loc(field), "String should have at most " + max + " characters", text,
                    Map.of("max_length", (long) max)));
            return null;
        }
        return text;
    }

    private static void dateTime(JsonNode raw, Fields fields) {
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

    private static void labels(JsonNode raw, Fields fields) {
        if (raw == null) {
            return;
        }
        if (!raw.isArray()) {
            fields.fail(FieldError.of("list_type", loc("isolated_block_labels"), "Input should be a valid list", raw));
            return;
        }
        for (int i = 0; i < raw.size(); i++) {
            fields.string(raw.get(i), List.of("body", "isolated_block_labels", i));
        }
    }
}
