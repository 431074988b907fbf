package dev.compactor.compaction;

import java.util.List;

/** Letta's four compaction modes, with their wire names and word limits. */
public enum CompactionMode {
    ALL("all", 500),
    SLIDING_WINDOW("sliding_window", 300),
    SELF_COMPACT_ALL("self_compact_all", 500),
    SELF_COMPACT_SLIDING_WINDOW("self_compact_sliding_window", 300);

    public static final List<String> WIRE_NAMES = List.of("all", "sliding_window", "self_compact_all",
            "self_compact_sliding_window");

    private final String wire;
    private final int wordLimit;

    CompactionMode(String wire, int wordLimit) {
        this.wire = wire;
        this.wordLimit = wordLimit;
    }

    public String wire() {
        return wire;
    }

    /** The word limit the mode's default prompt asks for. */
    public int wordLimit() {
        return wordLimit;
    }

    public boolean isSliding() {
        return this == SLIDING_WINDOW || this == SELF_COMPACT_SLIDING_WINDOW;
    }

    public boolean isSelf() {
        return this == SELF_COMPACT_ALL || this == SELF_COMPACT_SLIDING_WINDOW;
    }

    public String defaultPrompt() {
        return Prompts.forMode(this);
    }

    public static CompactionMode fromWire(String wire) {
        for (CompactionMode m : values()) {
            if (m.wire.equals(wire)) {
                return m;
            }
        }
        return null;
    }
}
