package dev.compactor.tokens;

/**
 * Letta's approximate counter, the compatible default for every model family without a real
 * tokenizer: one token per four UTF-8 bytes (rounded up), times a 1.3 safety margin, truncated.
 * Letta applies it to the messages serialised as {@code json.dumps} would (see
 * {@code compaction.MessageTokens}).
 */
public final class ApproxTokenCounter implements TokenCounter {
    public static final ApproxTokenCounter INSTANCE = new ApproxTokenCounter();
    public static final String NAME = "approximate";
    private static final double SAFETY_MARGIN = 1.3;

    private ApproxTokenCounter() {}

    @Override
    public int count(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        return forBytes(utf8Length(text));
    }

    @Override
    public String name() {
        return NAME;
    }

    public static int forBytes(long utf8Bytes) {
        long raw = (utf8Bytes + 3) / 4;
        return (int) Math.min(Integer.MAX_VALUE, (long) (raw * SAFETY_MARGIN));
    }

    /** UTF-8 length without allocating the encoded bytes. */
    public static long utf8Length(String s) {
        long bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
