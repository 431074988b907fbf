package dev.compactor.llm.render;

import dev.compactor.conversation.ContentPart;
import java.util.Map;

/**
 * An image part a vendor can receive: its bytes (base64, with their media type) or a URL. Letta's
 * {@code letta} source counts when it carries its bytes; a bare file id does not.
 *
 * @param mediaType e.g. {@code image/png}; null for a URL
 * @param data base64 bytes, or null for a URL
 */
record ImageSource(String mediaType, String data, String url) {
    static ImageSource of(ContentPart.Image image) {
        if (!(image.json().get("source") instanceof Map<?, ?> source)) {
            return null;
        }
        Object type = source.get("type");
        if (("base64".equals(type) || "letta".equals(type)) && source.get("data") instanceof String data && !data.isEmpty()
                && source.get("media_type") instanceof String mediaType && mediaType.startsWith("image/")) {
            return new ImageSource(mediaType, data, null);
        }
        if ("url".equals(type) && source.get("url") instanceof String url && !url.isBlank()) {
            return new ImageSource(null, null, url);
        }
        return null;
    }

    boolean inline() {
        return data != null;
    }

    /** A {@code data:} URL for an inline image, else the URL itself. */
    String asUrl() {
        return inline() ? "data:" + mediaType + ";base64," + data : url;
    }

    /** The format name Bedrock's image block takes ({@code png}, {@code jpeg}, {@code gif}, {@code webp}), or null. */
    String bedrockFormat() {
        if (!inline()) {
            return null;
        }
        return switch (mediaType) {
            case "image/png" -> "png";
            case "image/jpeg", "image/jpg" -> "jpeg";
            case "image/gif" -> "gif";
            case "image/webp" -> "webp";
            default -> null;
        };
    }
}
