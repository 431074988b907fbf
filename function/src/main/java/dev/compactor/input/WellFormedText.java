package dev.compactor.input;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * Rejects strings holding a lone UTF-16 surrogate ({@code "\ud800"} in JSON is legal syntax):
 * DynamoDB stores UTF-8, where a lone surrogate has no encoding and would silently become
 * {@code ?}. Pydantic refuses such a string the same way (Letta's storage could not hold it either).
 */
public final class WellFormedText {
    private WellFormedText() {}

    /** Records a {@code string_unicode} error for every string (or object key) in {@code json} with a lone surrogate. */
    public static void check(JsonNode json, List<Object> loc, Fields fields) {
        if (json.isTextual()) {
            check(json.textValue(), loc, fields);
        } else if (json.isObject()) {
            for (Map.Entry<String, JsonNode> e : json.properties()) {
                List<Object> at = Fields.loc(loc, e.getKey());
                check(e.getKey(), at, fields);
                check(e.getValue(), at, fields);
            }
        } else if (json.isArray()) {
            for (int i = 0; i < json.size(); i++) {
                check(json.get(i), Fields.loc(loc, i), fields);
            }
        }
    }

    private static void check(String s, List<Object> loc, Fields fields) {
        if (!wellFormed(s)) {
            fields.fail(FieldError.of("string_unicode", loc,
                    "Input should be a valid string, unable to parse raw data as a unicode string", s));
        }
    }

    public static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
