package dev.compactor.llm.render;

import dev.compactor.conversation.ContentPart;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Letta's text extraction from content parts and tool responses, shared by every rendering. */
public final class Texts {
    /** Letta's marker for a lone image part that a text-only rendering cannot carry. */
    public static final String IMAGE_HERE = "[Image Here]";

    private Texts() {}

    /**
     * One part: its text (a tool return's content; an image's marker; nothing for reasoning).
     * Several: the text parts joined by a blank line, with a note of the images left out.
     *
     * @return the text, or null when the parts hold none
     */
    public static String joined(List<ContentPart> parts) {
        if (parts.isEmpty()) {
            return null;
        }
        if (parts.size() == 1) {
            return switch (parts.get(0)) {
                case ContentPart.Text t -> t.text();
                case ContentPart.ToolReturn r -> r.content();
                case ContentPart.Image i -> IMAGE_HERE;
                default -> null;
            };
        }
        List<String> texts = new ArrayList<>();
        int images = 0;
        for (ContentPart p : parts) {
            if (p instanceof ContentPart.Text t) {
                texts.add(t.text());
            } else if (p instanceof ContentPart.Image) {
                images++;
            }
        }
        return String.join("\n\n", texts) + imagesOmitted(images);
    }

    /** A tool return's {@code func_response} (a string, or a list of text and image parts) as text. */
    public static String response(Object funcResponse) {
        if (funcResponse == null) {
            return null;
        }
        if (funcResponse instanceof String s) {
            return s;
        }
        List<String> texts = new ArrayList<>();
        int images = 0;
        if (funcResponse instanceof List<?> parts) {
            for (Object part : parts) {
                if (part instanceof Map<?, ?> map) {
                    if ("text".equals(map.get("type")) && map.get("text") != null) {
                        texts.add(String.valueOf(map.get("text")));
                    } else if ("image".equals(map.get("type"))) {
                        images++;
                    }
                } else if (part instanceof String s) {
                    texts.add(s);
                }
            }
        }
        return String.join("\n", texts) + imagesOmitted(images);
    }

    private static String imagesOmitted(int images) {
        return images == 0 ? "" : images == 1 ? " [Image omitted]" : " [" + images + " images omitted]";
    }
}
