package dev.compactor.conversation;

import java.util.Map;

/**
 * One part of a message's content, following Letta's content part types (discriminated by
 * {@code type}). Parts we do not interpret keep their original JSON so nothing is lost on a round
 * trip through the store.
 */
public sealed interface ContentPart {

    /** The part as Letta's JSON. */
    Map<String, Object> toJson();

    record Text(String text) implements ContentPart {
        @Override
        public Map<String, Object> toJson() {
            return Map.of("type", "text", "text", text);
        }
    }

    record Image(Map<String, Object> json) implements ContentPart {
        @Override
        public Map<String, Object> toJson() {
            return json;
        }
    }

    record ToolCall(String id, String name, Object input, Map<String, Object> json) implements ContentPart {
        @Override
        public Map<String, Object> toJson() {
            return json;
        }
    }

    record ToolReturn(String toolCallId, String content, boolean isError, Map<String, Object> json) implements ContentPart {
        @Override
        public Map<String, Object> toJson() {
            return json;
        }
    }

    /** reasoning, redacted_reasoning, omitted_reasoning, summarized_reasoning and unknown types. */
    record Other(String type, Map<String, Object> json) implements ContentPart {
        @Override
        public Map<String, Object> toJson() {
            return json;
        }
    }
}
