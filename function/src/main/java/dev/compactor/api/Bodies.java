package dev.compactor.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * are 422s, decided on Jackson's tree. The parsers keep the tree; each field goes to the field
 * validators as a plain value ({@link #value}), the form their Pydantic-shaped errors quote back.
 */
final class Bodies {
    private Bodies() {}

    /** An optional JSON object body, a fresh tree: absent, empty and {@code null} all read as {@code {}}. */
    static ObjectNode optionalObject(String body) {
        if (body == null || body.isBlank()) {
            return JsonMapper.MAPPER.createObjectNode();
        }
        JsonNode tree;
        try {
            tree = JsonMapper.MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw new InvalidInputException(new FieldError("json_invalid", List.of("body", 0), "JSON decode error",
                    Map.of(), Map.of("error", firstLine(e.getOriginalMessage()))));
        }
        if (tree.isNull()) {
            return JsonMapper.MAPPER.createObjectNode();
        }
        if (!tree.isObject()) {
            throw new InvalidInputException(FieldError.of("model_attributes_type", List.of("body"),
                    "Input should be a valid dictionary or object to extract fields from", Json.toJava(tree)));
        }
        Fields errors = new Fields();
        WellFormedText.check(Json.toJava(tree), List.of("body"), errors);
        errors.throwIfInvalid();
        return (ObjectNode) tree;
    }

    /** A field of the body as the validators read it; null when absent or null. */
    static Object value(ObjectNode body, String name) {
        JsonNode node = body.get(name);
        return node == null ? null : Json.toJava(node);
    }

    /** The whole body as an error quotes it (a missing field's {@code input}). */
    static Object plain(ObjectNode body) {
        return Json.toJava(body);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "malformed JSON";
        }
        int newline = message.indexOf('\n');
        return newline > 0 ? message.substring(0, newline) : message;
    }
}
