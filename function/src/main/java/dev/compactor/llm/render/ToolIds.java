package dev.compactor.llm.render;

import dev.compactor.text.CodePoints;

/** Tool-use ids in the alphabet Anthropic and Bedrock accept ({@code [a-zA-Z0-9_-]}, at most 64 long). */
final class ToolIds {
    static final int MAX = 64;

    private ToolIds() {}

    static String safe(String id) {
        if (id == null || id.isEmpty()) {
            return "_";
        }
        StringBuilder out = new StringBuilder(id.length());
        id.codePoints().forEach(c -> out.append(c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '-') ? (char) c : '_'));
        return CodePoints.prefix(out.toString(), MAX);
    }
}
