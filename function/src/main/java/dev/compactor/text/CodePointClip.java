package dev.compactor.text;

/** Shortens text without splitting a surrogate pair, so what remains is always valid UTF-8. */
public final class CodePointClip {
    private CodePointClip() {}

    /** The first {@code maxCodePoints} code points of {@code text}, or all of it when it is shorter. */
    public static String head(String text, int maxCodePoints) {
        if (maxCodePoints <= 0) {
            return "";
        }
        if (text.length() <= maxCodePoints) {
            return text;
        }
        int end = text.offsetByCodePoints(0, Math.min(maxCodePoints, text.codePointCount(0, text.length())));
        return text.substring(0, end);
    }
}
