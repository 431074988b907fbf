package dev.compactor.llm;

import dev.compactor.input.FieldError;
import dev.compactor.input.InvalidInputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Validated {@code model_settings} (see {@link ModelSettingsSchema}) bound to the model they will
 * be sent to. Each adapter maps the fields to its provider's own request fields and calls
 * {@link #unsupported} for one its model cannot honour, so the caller gets a 422 before any
 * model call instead of a silently ignored setting.
 *
 * <p>{@code parallel_tool_calls}, {@code strict} and {@code tool_call_parser} configure tool
 * calling; a summary call sends no tools, so they are accepted and have nothing to act on.
 */
public final class ModelSettings {
    static final List<Object> LOC = List.of("body", "compaction_settings", "model_settings");
    /** The one field every provider honours, so it is the only one a failover target inherits. */
    static final String PORTABLE = "max_output_tokens";

    private final ModelHandle target;
    private final Map<String, Object> values;

    private ModelSettings(ModelHandle target, Map<String, Object> values) {
        this.target = target;
        this.values = values;
    }

    /**
     * @param validated normalised settings from {@link ModelSettingsSchema#validate}, or null
     * @throws InvalidInputException when the settings are for another provider than {@code target}'s
     */
    public static ModelSettings forTarget(ModelHandle target, Map<String, Object> validated) {
        if (validated == null) {
            return new ModelSettings(target, Map.of());
        }
        Object type = validated.get("provider_type");
        if (ExtractiveSummarizer.HANDLE.equals(target)) {
            throw new InvalidInputException(new FieldError("value_error", LOC, "Value error, the offline summarizer " + target
                    + " takes no model_settings; remove them or name a " + type + " model in compaction_settings.model", type,
                    Map.of("error", "provider mismatch")));
        }
        if (!target.provider().equals(type)) {
            throw new InvalidInputException(new FieldError("value_error", append(LOC, "provider_type"),
                    "Value error, model_settings are for provider '" + type + "' but the summarizer model is '" + target
                            + "'; send model_settings with provider_type '" + target.provider() + "' or name a " + type
                            + " model in compaction_settings.model", type, Map.of("error", "provider mismatch")));
        }
        return new ModelSettings(target, validated);
    }

    /**
     * The part of {@code validated} a failover target can be given, re-tagged for its provider,
     * and the fields left behind.
     */
    static Carried carryTo(ModelHandle target, Map<String, Object> validated) {
        if (validated == null) {
            return new Carried(null, List.of());
        }
        List<String> dropped = new ArrayList<>();
        for (String field : validated.keySet()) {
            if (!"provider_type".equals(field) && !PORTABLE.equals(field)) {
                dropped.add(field);
            }
        }
        if (!validated.containsKey(PORTABLE) || !ModelSettingsSchema.PROVIDER_TYPES.contains(target.provider())) {
            return new Carried(null, validated.containsKey(PORTABLE) ? append(dropped, PORTABLE) : dropped);
        }
        Map<String, Object> carried = new LinkedHashMap<>();
        carried.put("provider_type", target.provider());
        carried.put(PORTABLE, validated.get(PORTABLE));
        return new Carried(carried, dropped);
    }

    record Carried(Map<String, Object> settings, List<String> dropped) {}

    public boolean has(String field) {
        return values.containsKey(field);
    }

    public int maxOutputTokens() {
        Object v = values.get("max_output_tokens");
        return v == null ? ModelCatalog.DEFAULT_MAX_OUTPUT_TOKENS : (int) Math.min(Integer.MAX_VALUE, (Long) v);
    }

    public Double temperature() {
        return (Double) values.get("temperature");
    }

    /** {@code reasoning.reasoning_effort} (OpenAI, SGLang, ChatGPT), or null. */
    public String reasoningEffort() {
        Map<String, Object> reasoning = object("reasoning");
        return reasoning == null ? null : (String) reasoning.get("reasoning_effort");
    }

    /** {@code response_format}, or Gemini's {@code response_schema} (same union), or null. */
    public Map<String, Object> responseFormat() {
        Map<String, Object> format = object("response_format");
        return format != null ? format : object("response_schema");
    }

    /** True when a structured (JSON) output format was asked for; plain {@code text} is what a summary is anyway. */
    public boolean wantsJson() {
        Map<String, Object> format = responseFormat();
        return format != null && !"text".equals(format.get("type"));
    }

    public Map<String, Object> thinking() {
        return object("thinking");
    }

    public Map<String, Object> thinkingConfig() {
        return object("thinking_config");
    }

    public String effort() {
        return (String) values.get("effort");
    }

    public String verbosity() {
        return (String) values.get("verbosity");
    }

    /** A 422 naming the field the target model cannot honour and why. */
    public InvalidInputException unsupported(String field, String why) {
        String tag = (String) values.get("provider_type");
        return new InvalidInputException(new FieldError("value_error", append(append(LOC, tag), field),
                "Value error, " + target + " cannot honour " + field + ": " + why, values.get(field),
                Map.of("error", "unsupported setting")));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> object(String field) {
        return (Map<String, Object>) values.get(field);
    }

    private static <T> List<T> append(List<T> list, T item) {
        List<T> out = new ArrayList<>(list);
        out.add(item);
        return out;
    }
}
