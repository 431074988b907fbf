package dev.compactor.text;

/**
 * Lengths and clips in characters as Python counts them (code points), which Letta's limits
 * ({@code clip_chars}, tool-return and id truncation) are expressed in. A clip never ends inside a
 * surrogate pair, so it cannot leave half an emoji behind.
 */
public final class CodePoints {
    private CodePoints() {}

    public static int count(String s) {
        return s.codePointCount(0, s.length());
    }

    /** The first {@code max} characters of {@code s} (all of it when shorter). */
    public static String prefix(String s, int max) {
        if (max <= 0) {
            return "";
        }
        if (max >= s.length()) {
            return s;
        }
        int count = count(s);
        return max >= count ? s : s.substring(0, s.offsetByCodePoints(0, max));
    }

    /** The last {@code max} characters of {@code s} (all of it when shorter). */
    public static String suffix(String s, int max) {
        int count = count(s);
        return max >= count ? s : s.substring(s.offsetByCodePoints(s.length(), -max));
    }
}
