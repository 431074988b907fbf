package dev.compactor.api;

import dev.compactor.input.FieldError;
import dev.compactor.input.Fields;
import dev.compactor.input.InvalidInputException;
import dev.compactor.support.Json;
import dev.compactor.support.JsonSyntaxException;
import dev.compactor.input.WellFormedText;
import java.util.List;
import java.util.Map;

/** Request bodies as FastAPI reads them: malformed JSON, non-objects and text with lone surrogates are 422s. */
final class Bodies {
    private Bodies() {}

    /** An optional JSON object body: absent, empty and {@code null} all read as {@code {}}. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> optionalObject(String body) {
        if (body == null || body.isBlank()) {
            return Map.of();
        }
        Object parsed;
        try {
            parsed = Json.parse(body);
        } catch (JsonSyntaxException e) {
            throw new InvalidInputException(new FieldError("json_invalid", List.of("body", 0), "JSON decode error",
                    Map.of(), Map.of("error", e.getMessage())));
        }
        if (parsed == null) {
            return Map.of();
        }
        if (parsed instanceof Map<?, ?> map) {
            Fields fields = new Fields();
            WellFormedText.check(map, List.of("body"), fields);
            fields.throwIfInvalid();
            return (Map<String, Object>) map;
        }
        throw new InvalidInputException(FieldError.of("model_attributes_type", List.of("body"),
                "Input should be a valid dictionary or object to extract fields from", parsed));
    }
}
