package dev.compactor.text;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The identifiers a summary must keep verbatim (Letta's prompts ask for exactly these): URLs,
 * file paths and names, prefixed ids and UUIDs, ticket and issue references, commit hashes, and
 * numbers of three or more characters (shorter ones are too common to mean anything). One
 * definition for what the extractive summarizer keeps and what the retention gate checks.
 */
public final class Identifiers {
    private static final Pattern IDENTIFIER = Pattern.compile(String.join("|",
            "https?://[^\\s)\\]>\"'`]+",                                              // URLs
            "(?<![\\w/.])(?:~|\\.{1,2})?/[\\w.@\\-]+(?:/[\\w.@\\-]+)+",                 // absolute and ./ paths
            "\\b[\\w\\-]+(?:/[\\w.\\-]+)+\\.[A-Za-z0-9]{1,8}\\b",                      // dir/file.ext
            "\\b[\\w\\-]+\\.(?:java|py|ts|tsx|js|go|rs|md|json|yaml|yml|xml|toml|sql|sh|txt|csv|kt|c|h|cpp|rb|html|css|lock)\\b",
            "\\b[a-z]+-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\b", // prefixed UUIDs
            "\\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\b",
            "\\b[A-Z][A-Z0-9]+-\\d+\\b",                                               // ticket ids
            "#\\d+\\b",                                                                // issue / PR numbers
            "\\b(?=[0-9a-f]*\\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,40}\\b",                 // hashes
            "\\b\\d+(?:[.,:]\\d+)*\\b"));                                              // numbers
    private static final Pattern TRAILING = Pattern.compile("[.,;:!?]+$");

    private Identifiers() {}

    /** Adds the identifiers found in {@code text} to {@code into}, in order of appearance. */
    public static void collect(String text, Set<String> into) {
        if (text == null || text.isEmpty()) {
            return;
        }
        Matcher m = IDENTIFIER.matcher(text);
        while (m.find()) {
            String id = TRAILING.matcher(m.group()).replaceAll("");
            if (id.length() >= 3) {
                into.add(id);
            }
        }
    }

    public static Set<String> in(String text) {
        Set<String> out = new LinkedHashSet<>();
        collect(text, out);
        return out;
    }
}
