package dev.compactor.conversation.dynamo;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Instants as the store writes them ({@link Instant#toString()}: {@code 2026-12-05T12:01:34.123456Z},
 * with no fraction or one of 3, 6 or 9 digits) read without a {@code DateTimeFormatter}, whose
 * general parser cost as much as the rest of a stored message's decoding. Any other form goes to
 * {@link Instant#parse}, which also rejects what is not an instant.
 */
final class StoredInstant {
    /** Where the seconds end: {@code yyyy-MM-ddTHH:mm:ss}. */
    private static final int SECONDS_END = 19;

    private StoredInstant() {}

    static Instant parse(String text) {
        int length = text.length();
        // Digits after the dot; 0 without a fraction.
        int fraction = length == SECONDS_END + 1 ? 0 : length - SECONDS_END - 2;
        boolean known = fraction == 0 ? length == SECONDS_END + 1 : (fraction == 3 || fraction == 6 || fraction == 9)
                && text.charAt(SECONDS_END) == '.';
        if (!known || text.charAt(length - 1) != 'Z' || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return Instant.parse(text);
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        int nanos = fraction == 0 ? 0 : digits(text, SECONDS_END + 1, length - 1);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0
                || second > 59 || nanos < 0) {
            return Instant.parse(text);
        }
        LocalDate first = LocalDate.of(year, month, 1);
        if (day > first.lengthOfMonth()) {
            return Instant.parse(text);
        }
        nanos *= fraction == 3 ? 1_000_000 : fraction == 6 ? 1_000 : 1;
        return Instant.ofEpochSecond((first.toEpochDay() + day - 1) * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** The decimal number in {@code [from, to)}, or -1 when a character there is not a digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
