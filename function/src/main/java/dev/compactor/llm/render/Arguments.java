package dev.compactor.llm.render;

import dev.compactor.support.Json;
import dev.compactor.support.JsonSyntaxException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A tool call's {@code arguments} (a JSON string, as OpenAI and Letta store them) as the JSON
 * object Anthropic, Bedrock and Gemini take. Tool arguments are free-form JSON, so a map is their
 * honest type.
 */
final class Arguments {
    /** Where arguments that are not a JSON object go, so the call still carries them. */
    static final String NOT_AN_OBJECT = "arguments";

    private Arguments() {}

    static Map<String, Object> object(String arguments) {
        if (arguments == null || arguments.isBlank()) {
            return Map.of();
        }
        try {
            return Json.parseObject(arguments);
        } catch (JsonSyntaxException e) {
            Map<String, Object> wrapped = new LinkedHashMap<>();
            wrapped.put(NOT_AN_OBJECT, arguments);
            return wrapped;
        }
    }
}
