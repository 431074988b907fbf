package dev.compactor.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.compactor.input.FieldError;
import dev.compactor.input.Fields;
import dev.compactor.input.InvalidInputException;
import dev.compactor.input.WellFormedText;
import dev.compactor.support.Json;
import dev.compactor.support.JsonMapper;
import java.util.List;
import java.util.Map;

/**
 * Request bodies as FastAPI reads them: malformed JSON, non-objects and text with lone surrogates
 * are 422s, decided on Jackson's tree. The object's fields then go to the field validators as
 * plain values, the form their Pydantic-shaped errors quote back.
 */
final class Bodies {
    private Bodies() {}

    /** An optional JSON object body: absent, empty and {@code null} all read as {@code {}}. */
    static Map<String, Object> optionalObject(String body) {
        if (body == null || body.isBlank()) {
            return Map.of();
        }
        JsonNode tree;
        try {
            tree = JsonMapper.MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw new InvalidInputException(new FieldError("json_invalid", List.of("body", 0), "JSON decode error",
                    Map.of(), Map.of("error", firstLine(e.getOriginalMessage()))));
        }
        if (tree.isNull()) {
            return Map.of();
        }
        if (!tree.isObject()) {
            throw new InvalidInputException(FieldError.of("model_attributes_type", List.of("body"),
                    "Input should be a valid dictionary or object to extract fields from", Json.toJava(tree)));
        }
        @SuppressWarnings("unchecked") // an object node becomes a map
        Map<String, Object> fields = (Map<String, Object>) Json.toJava(tree);
        Fields errors = new Fields();
        WellFormedText.check(fields, List.of("body"), errors);
        errors.throwIfInvalid();
        return fields;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "malformed JSON";
        }
        int newline = message.indexOf('\n');
        return newline > 0 ? message.substring(0, newline) : message;
    }
}
