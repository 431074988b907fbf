package dev.compactor.text;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What counts as an identifier: the strings a summary must carry verbatim because a reader would
 * quote them back — one definition for what the extractive summarizer keeps and what the
 * {@code identifier_retention} gate checks. Each is taken whole, with its unit:
 *
 * <ul>
 *   <li>URLs, email addresses, DOIs ({@code 10.48550/arXiv.2503.11872});
 *   <li>paths ({@code /srv/app/log.txt}, {@code ./x}, {@code src/main/App.java}, {@code /healthz});
 *   <li>multi-part and mixed ids ({@code KC-TRV-5521}, {@code RE-2026-00417}, {@code s-0419}, UUIDs,
 *       commit hashes, {@code v2.3.1}), issue numbers ({@code #412});
 *   <li>snake_case, dotted and camelCase names ({@code analytics_cdc_slot}, {@code staging.stg_refunds},
 *       {@code java.lang.OutOfMemoryError}, {@code fetchOrders});
 *   <li>amounts with a currency or unit ({@code €684.20}, {@code 4,870 ms}, {@code 97.3%}, {@code 512MB},
 *       {@code 1,200 EUR}) and other numbers of three or more digits ({@code 1284}, {@code 684.20}).
 * </ul>
 *
 * <p>Not identifiers: times of day and timestamps (a log's clock says nothing a reader quotes back),
 * numbers of one or two digits, ordinals, plain words, and fragments such as {@code a.h}. The scan is
 * a single pass over the text.
 */
public final class Identifiers {
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+\\-]+@[A-Za-z0-9\\-]+(?:\\.[A-Za-z0-9\\-]+)*\\.[A-Za-z]{2,}");
    private static final Pattern DOI = Pattern.compile("10\\.\\d{4,9}/\\S+");
    private static final Pattern TIME = Pattern.compile(
            "(?:\\d{4}-\\d{2}-\\d{2}[T ])?\\d{1,2}:\\d{2}(?::\\d{2}(?:[.,]\\d+)?)?(?:Z|[+-]\\d{2}:?\\d{2})?");
    private static final Pattern NUMBER = Pattern.compile("\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?");
    private static final Pattern CURRENCY_AMOUNT = Pattern.compile(
            "[€$£¥₹](?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d+)?|(?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d+)?[€$£¥₹]");
    private static final Pattern UNIT_ATTACHED = Pattern.compile(
            "(?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d+)?(?:%|ms|µs|us|ns|s|sec|min|h|KB|MB|GB|TB|KiB|MiB|GiB|TiB|kB|k|M|x|rps|qps|px)",
            Pattern.CASE_INSENSITIVE);
    /** Units and currency codes written after a number with a space: {@code 4,870 ms}, {@code 1,200 EUR}. */
    private static final Set<String> UNIT_WORDS = Set.of("%", "ms", "µs", "us", "ns", "s", "sec", "secs", "seconds", "min", "mins",
            "minutes", "h", "hours", "kb", "mb", "gb", "tb", "kib", "mib", "gib", "tib", "rps", "qps", "eur", "usd", "gbp", "chf",
            "jpy", "cny", "inr", "sek", "nok", "dkk", "pln", "cad", "aud", "nzd", "req/s");
    private static final Pattern ORDINAL = Pattern.compile("\\d+(?:st|nd|rd|th)", Pattern.CASE_INSENSITIVE);
    private static final Pattern FILE_EXT = Pattern.compile(".*\\.[A-Za-z][A-Za-z0-9]{0,7}");
    private static final Pattern ISSUE = Pattern.compile("#\\d+");
    private static final String EDGE = ".,:;!?-=&+";
    private static final int MIN_LENGTH = 3;

    private Identifiers() {}

    /** Adds the identifiers found in {@code text} to {@code into}, in order of appearance. */
    public static void collect(String text, Set<String> into) {
        if (text == null || text.isEmpty()) {
            return;
        }
        int n = text.length();
        int i = 0;
        while (i < n) {
            if (!isRunChar(text.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            while (i < n && isRunChar(text.charAt(i))) {
                i++;
            }
            run(text, start, i, into);
        }
    }

    public static Set<String> in(String text) {
        Set<String> out = new LinkedHashSet<>();
        collect(text, out);
        return out;
    }

    /**
     * Whether {@code c} can be part of an identifier. Everything else (spaces, brackets, quotes,
     * letters of other scripts, CJK punctuation) ends one, so {@code 请查KC-TRV-5521的} yields the id.
     */
    private static boolean isRunChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "-_./:@#%~+=?&,€$£¥₹µ".indexOf(c) >= 0;
    }

    private static void run(String text, int from, int to, Set<String> into) {
        int[] bounds = trim(text, from, to);
        if (bounds[1] - bounds[0] < MIN_LENGTH) {
            return;
        }
        if (lettersOnly(text, bounds[0], bounds[1])) {
            // most words of prose: only camelCase makes one an identifier
            String word = text.substring(bounds[0], bounds[1]);
            if (isName(word)) {
                into.add(word);
            }
            return;
        }
        String token = text.substring(bounds[0], bounds[1]);
        if (whole(token, into) || token.indexOf(':') >= 0 && TIME.matcher(token).matches()) {
            return;
        }
        // key=value, a?b&c and comma lists without spaces are several identifiers; "1,284" is one.
        int partStart = 0;
        for (int k = 0; k <= token.length(); k++) {
            if (k == token.length() || isSeparator(token, k)) {
                part(text, bounds[0] + partStart, bounds[0] + k, into);
                partStart = k + 1;
            }
        }
    }

    private static boolean lettersOnly(String text, int from, int to) {
        for (int k = from; k < to; k++) {
            char c = text.charAt(k);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')) {
                return false;
            }
        }
        return true;
    }

    /** URLs, DOIs and emails are taken as they stand, whatever they contain. */
    private static boolean whole(String token, Set<String> into) {
        if (token.startsWith("http://") || token.startsWith("https://") || token.startsWith("10.") && DOI.matcher(token).matches()) {
            into.add(stripTrailing(token));
            return true;
        }
        if (token.indexOf('@') > 0 && EMAIL.matcher(token).matches()) {
            into.add(token);
            return true;
        }
        return false;
    }

    private static boolean isSeparator(String token, int k) {
        char c = token.charAt(k);
        if (c == '=' || c == '&' || c == '?') {
            return true;
        }
        return c == ',' && !isThousands(token, k);
    }

    /** A comma inside a number ({@code 1,284}, {@code €1,240,000}): one to three digits before it, exactly three after. */
    private static boolean isThousands(String token, int k) {
        int before = k;
        while (before > 0 && Character.isDigit(token.charAt(before - 1))) {
            before--;
        }
        int run = k - before;
        boolean groupStart = before == 0 || "€$£¥₹,".indexOf(token.charAt(before - 1)) >= 0;
        if (run < 1 || run > 3 || !groupStart || before > 0 && token.charAt(before - 1) == ',' && !isThousands(token, before - 1)) {
            return false;
        }
        int after = k + 1;
        while (after < token.length() && Character.isDigit(token.charAt(after))) {
            after++;
        }
        return after - k - 1 == 3;
    }

    private static void part(String text, int from, int to, Set<String> into) {
        int[] bounds = trim(text, from, to);
        from = bounds[0];
        to = bounds[1];
        if (to <= from) {
            return;
        }
        String p = text.substring(from, to);
        if (whole(p, into) || p.indexOf(':') >= 0 && TIME.matcher(p).matches()) {
            return;
        }
        int colon = p.indexOf(':');
        if (colon >= 0) {
            // Foo.java:1295, host:5432, ERROR:disk: each side on its own.
            part(text, from, from + colon, into);
            part(text, from + colon + 1, to, into);
            return;
        }
        boolean hasDigit = digits(p) > 0;
        if (hasDigit && NUMBER.matcher(p).matches()) {
            String unit = unitAfter(text, to);
            if (unit != null) {
                into.add(p + " " + unit);
            } else if (digits(p) >= 3) {
                into.add(p);
            }
            return;
        }
        if (hasDigit && CURRENCY_AMOUNT.matcher(p).matches()) {
            into.add(p);
            return;
        }
        if (p.length() < MIN_LENGTH) {
            return;
        }
        if (hasDigit && (UNIT_ATTACHED.matcher(p).matches() || ISSUE.matcher(p).matches())
                || (p.indexOf('/') >= 0 ? isPath(p) : isName(p))) {
            into.add(p);
        }
    }

    private static boolean isPath(String p) {
        boolean hasLetter = p.chars().anyMatch(Character::isLetter);
        if (!hasLetter) {
            return false;
        }
        if (p.startsWith("/") || p.startsWith("~/") || p.startsWith("./") || p.startsWith("../")) {
            return p.length() > 2;
        }
        String[] segments = p.split("/", -1);
        for (String s : segments) {
            if (s.isEmpty()) {
                return false;
            }
        }
        return segments.length >= 3 || (segments.length == 2 && FILE_EXT.matcher(segments[1]).matches());
    }

    /** Mixed letters and digits, snake_case, dotted or camelCase names: {@code KC-TRV-5521}, {@code staging.stg_refunds}. */
    private static boolean isName(String p) {
        boolean letter = false;
        boolean digit = false;
        boolean camel = false;
        boolean underscore = false;
        for (int k = 0; k < p.length(); k++) {
            char c = p.charAt(k);
            if (Character.isLetter(c)) {
                letter = true;
                if (k > 0 && Character.isUpperCase(c) && Character.isLowerCase(p.charAt(k - 1))) {
                    camel = true;
                }
            } else if (Character.isDigit(c)) {
                digit = true;
            } else if (c == '_') {
                underscore = true;
            }
        }
        if (!letter && !digit) {
            return false;
        }
        if (digit) {
            // RE-2026-00417, 2026-03-14, 555-0142 and 1.2.3 count; 2nd, 10th and a range like 10-15 do not
            return letter ? !ORDINAL.matcher(p).matches() : digits(p) >= 5 || separators(p) >= 2;
        }
        if (underscore || camel) {
            return true;
        }
        return isDotted(p);
    }

    /** {@code java.lang.OutOfMemoryError}, {@code example.com}; not {@code a.h} or {@code e.g}. */
    private static boolean isDotted(String p) {
        if (p.indexOf('.') < 0) {
            return false;
        }
        String[] segments = p.split("\\.", -1);
        boolean wide = false;
        for (String s : segments) {
            if (s.isEmpty() || !Character.isLetter(s.charAt(0))) {
                return false;
            }
            wide |= s.length() >= 2;
        }
        return wide && segments[segments.length - 1].length() >= 2;
    }

    private static int separators(String p) {
        int s = 0;
        for (int k = 0; k < p.length(); k++) {
            if ("-._".indexOf(p.charAt(k)) >= 0) {
                s++;
            }
        }
        return s;
    }

    private static int digits(String p) {
        int d = 0;
        for (int k = 0; k < p.length(); k++) {
            if (Character.isDigit(p.charAt(k))) {
                d++;
            }
        }
        return d;
    }

    /** The unit word after a number ({@code 4,870 ms}), when one space separates them. */
    private static String unitAfter(String text, int end) {
        if (end + 1 >= text.length() || text.charAt(end) != ' ') {
            return null;
        }
        int k = end + 1;
        int wordEnd = k;
        while (wordEnd < text.length() && !Character.isWhitespace(text.charAt(wordEnd)) && ",.;:!?)]}\"'".indexOf(text.charAt(wordEnd)) < 0) {
            wordEnd++;
        }
        if (wordEnd == k) {
            return null;
        }
        String word = text.substring(k, wordEnd);
        return UNIT_WORDS.contains(word.toLowerCase(Locale.ROOT)) ? word : null;
    }

    private static int[] trim(String text, int from, int to) {
        while (from < to && EDGE.indexOf(text.charAt(from)) >= 0 && !text.startsWith("./", from) && !text.startsWith("../", from)) {
            from++;
        }
        while (to > from && EDGE.indexOf(text.charAt(to - 1)) >= 0) {
            to--;
        }
        return new int[] {from, to};
    }

    private static String stripTrailing(String token) {
        int end = token.length();
        while (end > 0 && ".,;:!?'\"".indexOf(token.charAt(end - 1)) >= 0) {
            end--;
        }
        return token.substring(0, end);
    }
}
