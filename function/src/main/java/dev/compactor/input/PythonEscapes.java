package dev.compactor.input;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The code points Python's {@code repr()} writes as escapes, from the table
 * {@code function/scripts/python_repr_tables.py} generates with Python itself (Python's notion of
 * printable follows its own Unicode database, which Java's does not match).
 */
final class PythonEscapes {
    private static final String TABLE = "python-repr-escapes.txt";
    private static final int[] FIRST;
    private static final int[] LAST;

    static {
        List<int[]> ranges = new ArrayList<>();
        try (InputStream in = PythonEscapes.class.getResourceAsStream(TABLE)) {
            if (in == null) {
                throw new IllegalStateException(TABLE + " is missing from the classpath");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line; (line = reader.readLine()) != null; ) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    int dash = line.indexOf('-');
                    ranges.add(new int[] {Integer.parseInt(line, 0, dash, 16), Integer.parseInt(line, dash + 1, line.length(), 16)});
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        FIRST = ranges.stream().mapToInt(r -> r[0]).toArray();
        LAST = ranges.stream().mapToInt(r -> r[1]).toArray();
    }

    private PythonEscapes() {}

    static boolean escaped(int codePoint) {
        int i = Arrays.binarySearch(FIRST, codePoint);
        int range = i >= 0 ? i : -i - 2;
        return range >= 0 && codePoint <= LAST[range];
    }

    /** The escape Python writes for a code point it does not print. */
    static void appendEscape(StringBuilder out, int codePoint) {
        switch (codePoint) {
            case '\t' -> out.append("\\t");
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\\' -> out.append("\\\\");
            default -> {
                if (codePoint < 0x100) {
                    out.append(String.format("\\x%02x", codePoint));
                } else if (codePoint < 0x10000) {
                    out.append(String.format("\\u%04x", codePoint));
                } else {
                    out.append(String.format("\\U%08x", codePoint));
                }
            }
        }
    }
}
