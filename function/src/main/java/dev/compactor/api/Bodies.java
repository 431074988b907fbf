package dev.compactor.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.compactor.input.FieldError;
import dev.compactor.input.Fields;
import dev.compactor.input.InvalidInputException;
import dev.compactor.input.WellFormedText;
import dev.compactor.support.JsonMapper;
import java.util.List;
import java.util.Map;

/**
 * Request bodies as FastAPI reads them: malformed JSON, non-objects and text with lone surrogates
 * are 422s, decided on Jackson's tree. The parsers keep the tree and hand its nodes to the field
 * validators, whose Pydantic-shaped errors quote them back.
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
                    "Input should be a valid dictionary or object to extract fields from", tree));
        }
        Fields errors = new Fields();
        WellFormedText.check(tree, List.of("body"), errors);
        errors.throwIfInvalid();
        return (ObjectNode) tree;
    }

    /** A field of the body as the validators read it; null when absent or null. */
    static JsonNode value(ObjectNode body, String name) {
        return Fields.get(body, name);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "malformed JSON";
        }
        int newline = message.indexOf('\n');
        return newline > 0 ? message.substring(0, newline) : message;
    }
}
