package dev.compactor.compaction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.compactor.conversation.ModelSettings;
import dev.compactor.input.FieldError;
import dev.compactor.input.Fields;
import dev.compactor.llm.ModelHandle;
import dev.compactor.llm.ModelSettingsSchema;
import dev.compactor.llm.Summarizers;
import dev.compactor.support.Json;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code compaction_settings} JSON. Unknown fields are ignored (as Letta's server does);
 * wrong types and unknown enum values are errors in pydantic's shape. Where Letta silently
 * changes behaviour for out-of-range values we reject them instead (DESIGN §5).
 */
public final class SettingsParser {
    /** Tags of Letta's {@code model_settings} union, discriminated by {@code provider_type}. */
    public static final List<String> PROVIDER_TYPES = ModelSettingsSchema.PROVIDER_TYPES;

    private SettingsParser() {}

    /** Parses settings found at {@code loc}; returns null for JSON null or when invalid (errors are in {@code fields}). */
    public static CompactionSettings parse(JsonNode json, List<Object> loc, Fields fields) {
        ObjectNode map = fields.object(json, loc, "CompactionSettings");
        if (map == null) {
            return null;
        }
        int errorsBefore = fields.errors().size();
        CompactionSettings d = CompactionSettings.defaults();
        Set<String> sent = new HashSet<>();
        String model = d.model();
        ModelSettings modelSettings = d.modelSettings();
        String prompt = d.prompt();
        boolean ack = d.promptAcknowledgement();
        Long clip = d.clipChars();
        CompactionMode mode = d.mode();
        double percentage = d.slidingWindowPercentage();

        if (map.has("model")) {
            sent.add("model");
            model = fields.string(Fields.get(map, "model"), Fields.loc(loc, "model"));
            if (model != null) {
                validateHandle(model, Fields.loc(loc, "model"), fields);
            }
        }
        if (map.has("model_settings")) {
            sent.add("model_settings");
            modelSettings = modelSettings(Fields.get(map, "model_settings"), Fields.loc(loc, "model_settings"), fields);
        }
        if (map.has("prompt")) {
            sent.add("prompt");
            prompt = fields.string(Fields.get(map, "prompt"), Fields.loc(loc, "prompt"));
        }
        if (map.has("prompt_acknowledgement")) {
            sent.add("prompt_acknowledgement");
            Boolean value = required(fields.bool(Fields.get(map, "prompt_acknowledgement"), Fields.loc(loc, "prompt_acknowledgement")),
                    Fields.get(map, "prompt_acknowledgement"), "bool_type", "Input should be a valid boolean",
                    Fields.loc(loc, "prompt_acknowledgement"), fields);
            ack = value != null && value;
        }
        if (map.has("clip_chars")) {
            sent.add("clip_chars");
            clip = fields.integer(Fields.get(map, "clip_chars"), Fields.loc(loc, "clip_chars"));
            if (clip != null && clip < 0) {
                fields.fail(new FieldError("greater_than_equal", Fields.loc(loc, "clip_chars"),
                        "Input should be greater than or equal to 0", Fields.get(map, "clip_chars"), Map.of("ge", 0L)));
            }
        }
        if (map.has("mode")) {
            sent.add("mode");
            JsonNode raw = Fields.get(map, "mode");
            String wire = raw == null ? null : fields.literal(raw, Fields.loc(loc, "mode"), CompactionMode.WIRE_NAMES);
            if (raw == null) {
                String expected = Fields.expected(CompactionMode.WIRE_NAMES);
                fields.fail(new FieldError("literal_error", Fields.loc(loc, "mode"), "Input should be " + expected, null,
                        Map.of("expected", expected)));
            }
            mode = wire == null ? mode : CompactionMode.fromWire(wire);
        }
        if (map.has("sliding_window_percentage")) {
            sent.add("sliding_window_percentage");
            List<Object> at = Fields.loc(loc, "sliding_window_percentage");
            JsonNode raw = Fields.get(map, "sliding_window_percentage");
            Double value = required(fields.number(raw, at), raw, "float_type", "Input should be a valid number", at, fields);
            if (value != null) {
                if (!Double.isFinite(value)) {
                    fields.fail(FieldError.of("finite_number", at, "Input should be a finite number", raw));
                } else if (value < 0) {
                    fields.fail(new FieldError("greater_than_equal", at, "Input should be greater than or equal to 0", raw,
                            Map.of("ge", 0.0)));
                } else if (value > 1) {
                    fields.fail(new FieldError("less_than_equal", at, "Input should be less than or equal to 1", raw,
                            Map.of("le", 1.0)));
                } else {
                    percentage = value + 0.0; // -0.0 reads as 0
                }
            }
        }
        if (fields.errors().size() > errorsBefore) {
            return null;
        }
        return new CompactionSettings(model, modelSettings, prompt, ack, clip, mode, percentage, sent);
    }

    private static <T> T required(T value, Object raw, String type, String msg, List<Object> loc, Fields fields) {
        if (raw == null) {
            fields.fail(FieldError.of(type, loc, msg, null));
        }
        return value;
    }

    private static void validateHandle(String handle, List<Object> loc, Fields fields) {
        if (ModelChoice.isLettaAuto(handle)) {
            return;
        }
        ModelHandle parsed = ModelHandle.parse(handle);
        if (parsed == null) {
            fields.fail(new FieldError("value_error", loc,
                    "Value error, model must be a handle of the form provider/model-name, e.g. bedrock/"
                            + "us.anthropic.claude-haiku-4-5-20251001-v1:0", handle, Map.of("error", "invalid handle")));
            return;
        }
        if (!Summarizers.KNOWN_PROVIDERS.contains(parsed.provider())) {
            fields.fail(new FieldError("value_error", loc, "Value error, unknown provider '" + parsed.provider()
                    + "'; supported providers: " + String.join(", ", Summarizers.KNOWN_PROVIDERS), handle,
                    Map.of("error", "unknown provider")));
        }
    }

    static ModelSettings modelSettings(JsonNode raw, List<Object> loc, Fields fields) {
        if (Fields.given(raw) == null) {
            return null;
        }
        ObjectNode map = fields.object(raw, loc, "ModelSettings");
        if (map == null) {
            return null;
        }
        JsonNode tag = Fields.get(map, "provider_type");
        if (tag == null) {
            fields.fail(new FieldError("union_tag_not_found", loc,
                    "Unable to extract tag using discriminator 'provider_type'", raw,
                    Map.of("discriminator", "'provider_type'")));
            return null;
        }
        String t = tag.isTextual() ? tag.textValue() : String.valueOf(Json.toJava(tag));
        if (!tag.isTextual() || !PROVIDER_TYPES.contains(t)) {
            String expected = Fields.expected(PROVIDER_TYPES);
            fields.fail(new FieldError("union_tag_invalid", loc,
                    "Input tag '" + t + "' found using 'provider_type' does not match any of the expected tags: " + expected,
                    raw, FieldError.ctx("discriminator", "'provider_type'", "tag", t, "expected_tags", expected)));
            return null;
        }
        return ModelSettingsSchema.validate(map, loc, fields);
    }
}
