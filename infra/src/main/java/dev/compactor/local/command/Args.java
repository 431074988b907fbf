package dev.compactor.local.command;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command-line options ({@code --name value}, or a bare {@code --flag} of {@link #FLAGS}) and
 * positional arguments of one subcommand.
 */
public final class Args {
    /** Options that take no value. */
    static final Set<String> FLAGS = Set.of(FunctionLogs.VERBOSE, StartApiCommand.NO_DUE_STREAM);

    private final Map<String, String> options = new HashMap<>();
    private final List<String> positional = new ArrayList<>();

    public Args(List<String> args, Set<String> known) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith("-")) {
                String name = a.equals("-e") ? "--event" : a;
                if (!known.contains(name)) {
                    throw new UsageException("unknown option " + a);
                }
                if (FLAGS.contains(name)) {
                    options.put(name, "true");
                    continue;
                }
                if (i + 1 >= args.size()) {
                    throw new UsageException("option " + a + " needs a value");
                }
                options.put(name, args.get(++i));
            } else {
                positional.add(a);
            }
        }
    }

    public String get(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    public boolean flag(String name) {
        return options.containsKey(name);
    }

    public Path path(String name) {
        String value = options.get(name);
        return value == null ? null : Path.of(value);
    }

    public int integer(String name, int fallback) {
        String value = options.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new UsageException(name + " must be a number, got '" + value + "'");
        }
    }

    List<String> positional() {
        return positional;
    }

    /** Bad command line: print the message and the usage, exit 2. */
    public static final class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message);
        }
    }
}
