package dev.compactor.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.compactor.compaction.CompactionSettings;
import dev.compactor.compaction.ModelChoice;
import dev.compactor.compaction.SettingsJudge;
import dev.compactor.conversation.Agent;
import dev.compactor.input.FieldError;
import dev.compactor.input.Fields;
import dev.compactor.llm.ModelCatalog;
import dev.compactor.llm.ModelHandle;
import dev.compactor.llm.Summarizers;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Letta's {@code CreateAgent} and {@code UpdateAgent} bodies, reduced to what compaction uses:
 * {@code name}, {@code model}, {@code context_window_limit}, {@code system}, {@code timezone} and
 * {@code compaction_settings}, plus our {@code compaction_threshold} (the share of the context
 * window at which scheduled compaction takes the agent's conversations; null for the
 * deployment's). Letta's other fields are accepted and ignored. Settings are judged by
 * {@link SettingsJudge} and stored complete, as Letta stores them (the summarizer model that will
 * be used and the mode's prompt included), and a PATCH merges them per field.
 */
final class AgentFields {
    /** Letta's agent name rule. */
    private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9 _-]+$");
    static final String DEFAULT_NAME = "agent";
    static final String DEFAULT_TIMEZONE = "UTC";
    private static final String THRESHOLD = "compaction_threshold";

    private AgentFields() {}

    /**
     * The fields a body sent, validated; null where absent.
     *
     * @param settings the compaction settings sent, with the fields sent marked; null when absent or null
     */
    record Patch(String name, String model, Long contextWindow, String system, String timezone, CompactionSettings settings,
                 boolean thresholdSent, Double threshold) {

        /**
         * The stored agent with every field sent laid over it: settings merged per field
         * ({@code compaction_settings: null} leaves them unchanged, as in Letta),
         * {@code compaction_threshold: null} restores the deployment's.
         */
        Agent applyTo(Agent stored, ModelChoice models) {
            String newModel = model != null ? model : stored.model();
            return new Agent(stored.id(), name != null ? name : stored.name(), newModel,
                    contextWindow != null ? contextWindow.intValue() : stored.contextWindow(),
                    system != null ? system : stored.system(), timezone != null ? timezone : stored.timezone(),
                    SettingsJudge.forUpdate(stored.compactionSettings(), settings, stored.model(), newModel, models),
                    stored.createdAt(), thresholdSent ? threshold : stored.compactionThreshold());
        }
    }

    /** A new agent; {@code model} is required, the other fields have Letta's defaults. */
    static Agent create(ObjectNode body, String id, Instant now, ModelChoice models) {
        Patch p = read(body, true);
        int contextWindow = p.contextWindow() != null ? p.contextWindow().intValue()
                : ModelCatalog.contextWindow(ModelHandle.parse(p.model()));
        return new Agent(id, p.name() == null ? DEFAULT_NAME : p.name(), p.model(), contextWindow,
                p.system() == null ? "" : p.system(), p.timezone() == null ? DEFAULT_TIMEZONE : p.timezone(),
                SettingsJudge.forNewAgent(p.settings(), p.model(), models), now, p.threshold());
    }

    static Patch read(ObjectNode body, boolean modelRequired) {
        Fields fields = new Fields();
        String name = name(body, fields);
        String model = fields.string(Bodies.value(body, "model"), loc("model"));
        if (model != null) {
            checkModel(model, fields);
        } else if (modelRequired) {
            fields.fail(FieldError.of("missing", loc("model"), "Field required", body));
        }
        Long window = contextWindow(body, fields);
        String system = fields.string(Bodies.value(body, "system"), loc("system"));
        String timezone = timezone(body, fields);
        CompactionSettings settings = SettingsJudge.read(Bodies.value(body, "compaction_settings"), loc("compaction_settings"), fields);
        Double threshold = threshold(body, fields);
        fields.throwIfInvalid();
        return new Patch(name, model, window, system, timezone, settings, body.has(THRESHOLD), threshold);
    }

    private static List<Object> loc(String field) {
        return List.of("body", field);
    }

    private static String name(ObjectNode body, Fields fields) {
        String name = fields.string(Bodies.value(body, "name"), loc("name"));
        if (name != null && !NAME.matcher(name).matches()) {
            fields.fail(new FieldError("value_error", loc("name"), "Value error, Name contains invalid characters.", name,
                    Map.of("error", "Name contains invalid characters.")));
        }
        return name;
    }

    /** Letta's handle rule and a provider we serve; shared with the conversation-level {@code model}. */
    static void checkModel(String model, Fields fields) {
        ModelHandle handle = ModelHandle.parse(model);
        if (handle == null) {
            fields.fail(new FieldError("value_error", loc("model"),
                    "Value error, The llm config handle should be in the format provider/model-name", model,
                    Map.of("error", "invalid handle")));
        } else if (!Summarizers.KNOWN_PROVIDERS.contains(handle.provider())) {
            fields.fail(new FieldError("value_error", loc("model"), "Value error, unknown provider '" + handle.provider()
                    + "'; known providers: " + String.join(", ", Summarizers.KNOWN_PROVIDERS), model,
                    Map.of("error", "unknown provider")));
        }
    }

    /** A positive int; shared with the conversation-level {@code context_window_limit}. */
    static Long contextWindow(ObjectNode body, Fields fields) {
        JsonNode raw = Bodies.value(body, "context_window_limit");
        Long window = fields.integer(raw, loc("context_window_limit"));
        if (window != null && (window < 1 || window > Integer.MAX_VALUE)) {
            fields.fail(new FieldError(window < 1 ? "greater_than_equal" : "less_than_equal", loc("context_window_limit"),
                    window < 1 ? "Input should be greater than or equal to 1"
                            : "Input should be less than or equal to " + Integer.MAX_VALUE, raw,
                    window < 1 ? Map.of("ge", 1L) : Map.of("le", (long) Integer.MAX_VALUE)));
            return null;
        }
        return window;
    }

    private static String timezone(ObjectNode body, Fields fields) {
        String timezone = fields.string(Bodies.value(body, "timezone"), loc("timezone"));
        if (timezone == null) {
            return null;
        }
        try {
            ZoneId.of(timezone);
            return timezone;
        } catch (DateTimeException e) {
            fields.fail(new FieldError("value_error", loc("timezone"),
                    "Value error, timezone must be an IANA time zone such as UTC or Europe/Paris", timezone,
                    Map.of("error", "unknown time zone")));
            return null;
        }
    }

    /** A share of the context window in (0, 1], as {@link Agent#compactionThreshold()} takes it; null when absent or null. */
    private static Double threshold(ObjectNode body, Fields fields) {
        JsonNode raw = Bodies.value(body, THRESHOLD);
        Double threshold = fields.number(raw, loc(THRESHOLD));
        if (threshold == null) {
            return null;
        }
        if (!Double.isFinite(threshold)) {
            fields.fail(FieldError.of("finite_number", loc(THRESHOLD), "Input should be a finite number", raw));
        } else if (threshold <= 0) {
            fields.fail(new FieldError("greater_than", loc(THRESHOLD), "Input should be greater than 0", raw, Map.of("gt", 0.0)));
        } else if (threshold > 1) {
            fields.fail(new FieldError("less_than_equal", loc(THRESHOLD), "Input should be less than or equal to 1", raw,
                    Map.of("le", 1.0)));
        } else {
            return threshold;
        }
        return null;
    }
}
